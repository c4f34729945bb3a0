import Testing
import SlopeCore

private func frames(_ text: String, chunkSize: Int = 65_536) -> [MessageReader<BufferSource>.Frame] {
    var reader = MessageReader(BufferSource(Array(text.utf8), chunkSize: chunkSize))
    var frames: [MessageReader<BufferSource>.Frame] = []
    while let frame = reader.next() { frames.append(frame) }
    return frames
}

private func message(_ text: String) -> MessageReader<BufferSource>.Frame { .message(Array(text.utf8)) }

@Test func frameWritesTheBodysLengthInUTF8Bytes() {
    // "é" is two bytes in UTF-8, "😀" four: 1 + 2 + 4 + 1 = 8.
    #expect(MessageFraming.frame("\"é😀\"") == "Content-Length: 8\r\n\r\n\"é😀\"")
}

@Test(arguments: [1, 2, 3, 5, 64])
func messagesSplitAnywhereReadTheSame(chunkSize: Int) {
    let text = "Content-Length: 2\r\n\r\n{}Content-Length: 5\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1,2]"
    #expect(frames(text, chunkSize: chunkSize) == [message("{}"), message("[1,2]")])
}

@Test func headerNamesAreCaseInsensitiveAndABareNewlineIsAccepted() {
    #expect(frames("content-length: 2\n\n{}") == [message("{}")])
}

@Test func aHeaderWithoutContentLengthIsMalformedAndTheNextMessageIsRead() {
    let found = frames("Content-Type: x\r\n\r\n{\"a\": 1}Content-Length: 2\r\n\r\n{}")
    #expect(found.count == 2)
    guard case .malformed(let reason) = found.first else { Issue.record("\(found)"); return }
    #expect(reason.contains("without a valid Content-Length"))
    #expect(found.last == message("{}"))
}

@Test(arguments: ["Content-Length: -3", "Content-Length: ten", "Content-Length 3", "garbage"])
func aBadContentLengthIsMalformed(header: String) {
    let found = frames(header + "\r\n\r\nabcContent-Length: 1\r\n\r\n7")
    guard case .malformed = found.first else { Issue.record("\(found)"); return }
    #expect(found.last == message("7"))
}

@Test func aContentLengthOverTheLimitIsMalformedWithoutWaitingForTheBytes() {
    let found = frames("Content-Length: 999999999999\r\n\r\n{}")
    #expect(found.count == 1)
    guard case .malformed(let reason) = found.first else { Issue.record("\(found)"); return }
    #expect(reason.contains("more than"))
}

@Test func aHeaderThatNeverEndsIsMalformed() {
    let found = frames("Content-Length: 1" + String(repeating: "x", count: 10_000) + "Content-Length: 1\r\n\r\nZ")
    guard case .malformed(let reason) = found.first else { Issue.record("\(found)"); return }
    #expect(reason.contains("longer than"))
    #expect(found.last == message("Z"))
}

@Test func theInputEndingInsideABodyOrAHeaderIsMalformed() {
    #expect(frames("Content-Length: 10\r\n\r\n{}").count == 1)
    guard case .malformed? = frames("Content-Length: 10\r\n\r\n{}").first,
          case .malformed? = frames("Content-Len").first else {
        Issue.record("expected malformed frames")
        return
    }
}

@Test func lineBreaksBetweenMessagesAreSkippedAndAnEmptyInputHasNoFrames() {
    #expect(frames("\r\n\r\nContent-Length: 1\r\n\r\nA\r\n").count == 1)
    #expect(frames("").isEmpty)
}
