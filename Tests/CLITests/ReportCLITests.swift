import Foundation
import Testing
import SlopeTestSupport

/// `slope report` through the built binary: the page on standard output, a page with errors and
/// exit status 1, `-o` into a folder that does not exist, and the page on a full disk.
@Suite struct ReportCLITests {
    @Test func thePageGoesToStandardOutputOrToTheFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("f.graph", "param x = 2\nf = x^2\nprint f\n")
        let result = try OutputCLITests.run(["report", "f.graph"], in: directory.url)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.hasPrefix("<!DOCTYPE html>\n") && result.out.hasSuffix("</html>\n"))
        #expect(result.err.isEmpty)
        let written = try OutputCLITests.run(["report", "f.graph", "-o", "f.html"], in: directory.url)
        #expect(written.status == 0 && written.out.isEmpty && written.err.isEmpty, "\(written)")
        #expect(try String(contentsOfFile: directory.path("f.html"), encoding: .utf8) == result.out)
    }

    @Test func aProgramWithErrorsGetsAPageAndExitsWithOne() throws {
        let directory = try TemporaryDirectory()
        try directory.write("f.graph", "f = (1 +\n")
        let result = try OutputCLITests.run(["report", "f.graph"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.err.hasPrefix("f.graph:2:1: error: expected an expression, found end of file\n"), "\(result.err)")
        #expect(result.out.contains("<span class=\"error\">error: expected an expression, found end of file</span>"))
    }

    @Test func outputIntoAMissingFolderWritesNothing() throws {
        let directory = try TemporaryDirectory()
        try directory.write("f.graph", "param x = 2\nf = x^2\nprint f\n")
        let result = try OutputCLITests.run(["report", "f.graph", "-o", "nowhere/f.html"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.out.isEmpty)
        #expect(result.err == "slope: error: cannot write 'nowhere/f.html': the folder 'nowhere' does not exist\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["f.graph"])
    }

    @Test func aPageOnAFullDiskIsAnError() throws {
        let directory = try TemporaryDirectory()
        try directory.write("f.graph", "param x = 2\nf = x^2\nprint f\n")
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"), "no /dev/full on this system")
        let result = try OutputCLITests.run(["report", "f.graph"], in: directory.url, out: full)
        #expect(result.status == 1)
        #expect(result.err.contains("cannot write to standard output: No space left on device"), "\(result.err)")
    }
}
