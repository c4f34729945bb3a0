import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// `OutputFile`: the findings of issue 12 under "Lost or damaged data", one test each. Files
/// are replaced atomically through an unpredictable temporary file; devices, FIFOs and
/// descriptors are written in place; symlinks update their targets; read-only files and
/// directories are refused.
@Suite struct OutputFileTests {
    static func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : 0
    }

    static func names(_ directory: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
    }

    @Test func aRegularFileIsReplacedAndNothingIsLeftBesideIt() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("params.json", "old")
        #expect(OutputFile.write("new\n", to: path) == nil)
        #expect(try Self.text(path) == "new\n")
        #expect(try Self.names(directory) == ["params.json"])
    }

    @Test func theTemporaryFileHasAnUnpredictableNameAndIsPrivateWhileWritten() throws {
        // The old temporary name was `.NAME.PID.tmp`, opened without O_EXCL: a link planted at
        // that name made --save overwrite another file.
        let directory = try TemporaryDirectory()
        let path = directory.path("params.json")
        let first = try OutputFile.open(path).get()
        let second = try OutputFile.open(path).get()
        let temporaries = try Self.names(directory)
        #expect(temporaries.count == 2 && temporaries[0] != temporaries[1])
        for name in temporaries {
            #expect(name.wholeMatch(of: /\.params\.json\.slope-[0-9a-f]{16}\.tmp/) != nil, "\(name)")
            #expect(Self.mode(directory.path(name)) & 0o777 == 0o600)
        }
        first.discard()
        second.discard()
        #expect(try Self.names(directory).isEmpty)
    }

    @Test func aFilePlantedAtTheTemporaryNameIsNeverFollowed() throws {
        let directory = try TemporaryDirectory()
        let victim = try directory.write("victim", "precious")
        // O_CREAT | O_EXCL | O_NOFOLLOW refuses an existing name, link or not.
        let temporary = directory.path(".planted.tmp")
        try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: victim)
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY, 0o600)
        #expect(descriptor < 0 && errno == EEXIST)
        #expect(try Self.text(victim) == "precious")
    }

    @Test func aReplacementKeepsTheModeOfTheFileItReplaces() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("shared.csv", "old")
        chmod(path, 0o640)
        #expect(OutputFile.write("new", to: path) == nil)
        #expect(Self.mode(path) & 0o777 == 0o640)
    }

    @Test func aNewFileGetsTheModeTheUmaskAllows() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("new.csv")
        #expect(OutputFile.write("new", to: path) == nil)
        #expect(Self.mode(path) & 0o777 == 0o666 & ~OutputFile.fileCreationMask)
        #expect(Self.mode(path) & S_IFMT == S_IFREG)
    }

    @Test func aReadOnlyFileIsRefusedAndKept() throws {
        // Issue 12: "a read-only file is silently replaced". Refused even for root, who could.
        let directory = try TemporaryDirectory()
        let path = try directory.write("frozen.json", "keep me")
        chmod(path, 0o444)
        #expect(throws: OutputProblem(path: path, reason: .readOnly)) { try OutputFile.open(path).get() }
        #expect(try Self.text(path) == "keep me")
        #expect(try Self.names(directory) == ["frozen.json"])
    }

    @Test func aDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path("runs"), withIntermediateDirectories: false)
        #expect(throws: OutputProblem(path: directory.path("runs"), reason: .isDirectory)) { try OutputFile.open(directory.path("runs")).get() }
    }

    @Test func aMissingFolderIsNamed() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("absent/log.csv")
        #expect(throws: OutputProblem(path: path, reason: .missingFolder(directory.path("absent")))) { try OutputFile.open(path).get() }
    }

    @Test func aSymlinkUpdatesItsTargetAndStaysALink() throws {
        // Issue 12: a symlink at the path was replaced by a regular file.
        let directory = try TemporaryDirectory()
        let target = try directory.write("runs/latest.json", "old")
        let link = directory.path("params.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "runs/latest.json")
        #expect(OutputFile.write("new", to: link) == nil)
        #expect(Self.mode(link) & S_IFMT == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "runs/latest.json")
        #expect(try Self.text(target) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("runs")) == ["latest.json"])
    }

    @Test func aLinkToAReadOnlyFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let target = try directory.write("frozen.json", "keep me")
        chmod(target, 0o444)
        let link = directory.path("params.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(throws: OutputProblem(path: link, reason: .readOnly)) { try OutputFile.open(link).get() }
        #expect(try Self.text(target) == "keep me")
    }

    @Test func aDanglingLinkCreatesItsTarget() throws {
        let directory = try TemporaryDirectory()
        let link = directory.path("params.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "made.json")
        #expect(OutputFile.write("new", to: link) == nil)
        #expect(try Self.text(directory.path("made.json")) == "new")
        #expect(Self.mode(link) & S_IFMT == S_IFLNK)
    }

    @Test func aFIFOIsWrittenInPlace() throws {
        // Issue 12: a FIFO at the path was replaced by a regular file.
        let directory = try TemporaryDirectory()
        let fifo = directory.path("log.fifo")
        try #require(mkfifo(fifo, 0o600) == 0)
        // A reader first, so opening the FIFO for writing does not wait for one.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        #expect(OutputFile.write("step,loss\n0,1\n", to: fifo) == nil)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(count == 14 && String(decoding: buffer[..<max(count, 0)], as: UTF8.self) == "step,loss\n0,1\n")
        #expect(Self.mode(fifo) & S_IFMT == S_IFIFO)
        #expect(try Self.names(directory) == ["log.fifo"])
    }

    @Test func devNullStaysADevice() throws {
        // Issue 12: as root, `--save /dev/null` replaced the system's /dev/null with a file.
        try #require(Self.mode("/dev/null") & S_IFMT == S_IFCHR)
        #expect(OutputFile.write("{}\n", to: "/dev/null") == nil)
        #expect(Self.mode("/dev/null") & S_IFMT == S_IFCHR)
    }

    @Test func aFullDeviceIsAProblem() throws {
        let file = try OutputFile.open("/dev/full").get()
        file.write("x")
        #expect(file.commit() == OutputProblem(path: "/dev/full", reason: .system(ENOSPC)))
    }

    @Test func anOwnDescriptorIsWrittenThroughADuplicateSharingItsOffset() throws {
        // `/dev/stdout` redirected to a file: the file must get both the command's own output
        // and the saved file, one after the other, not one over the other.
        let directory = try TemporaryDirectory()
        let path = directory.path("out.txt")
        let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        _ = OutputFile.writeAll(Array("before\n".utf8), to: descriptor)
        #expect(OutputFile.write("saved\n", to: "/dev/fd/\(descriptor)") == nil)
        _ = OutputFile.writeAll(Array("after\n".utf8), to: descriptor)
        #expect(try Self.text(path) == "before\nsaved\nafter\n")
        #expect(fcntl(descriptor, F_GETFD) >= 0, "the descriptor itself stays open")
    }

    @Test func filesCommittedTogetherAreAllReplacedOrNoneIs() throws {
        let directory = try TemporaryDirectory()
        let save = try directory.write("params.json", "old params")
        let files = [try OutputFile.open(save).get(), try OutputFile.open("/dev/full").get()]
        files[0].write("new params")
        files[1].write("rows")
        let problems = OutputFile.commit(files)
        #expect(problems == [OutputProblem(path: "/dev/full", reason: .system(ENOSPC))])
        #expect(try Self.text(save) == "old params", "not replaced, since /dev/full could not be written")
        #expect(try Self.names(directory) == ["params.json"])
        #expect(files[0].replacesFile && files[0].problem == nil && !files[1].replacesFile)
    }

    @Test func aFileThatIsNotCommittedLeavesTheTargetAndNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("log.csv", "old")
        do {
            let file = try OutputFile.open(path).get()
            file.write("half a log")
        }
        #expect(try Self.text(path) == "old")
        #expect(try Self.names(directory) == ["log.csv"])
    }

    @Test func aLongLogIsWrittenInFull() throws {
        // More than the buffer many times over, in rows of varying length.
        let directory = try TemporaryDirectory()
        let path = directory.path("log.csv")
        let file = try OutputFile.open(path).get()
        var expected = ""
        for step in 0..<50_000 {
            let row = "\(step),\(Double(step) / 7)\n"
            expected += row
            file.write(row)
        }
        #expect(file.commit() == nil)
        #expect(try Self.text(path) == expected)
    }
}
