import Testing
@testable import SlopeCore

/// The wire format against bytes worked from the protobuf encoding guide.
@Suite struct ProtobufWriterTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined(separator: " ") }

    @Test(arguments: [
        (0, "00"), (1, "01"), (127, "7f"),
        (128, "80 01"),           // 128 = 0b1_0000000: low group 0 with the high bit, then 1
        (150, "96 01"),           // the guide's example
        (300, "ac 02"),           // 300 = 0b10_0101100
        (-1, "ff ff ff ff ff ff ff ff ff 01"),   // int64 two's complement: ten bytes
    ])
    func varintsAreBase128LeastSignificantFirst(_ value: Int, _ expected: String) {
        var writer = ProtobufWriter()
        writer.varint(UInt64(bitPattern: Int64(value)))
        #expect(Self.hex(writer.bytes) == expected)
    }

    @Test func aKeyIsTheFieldNumberShiftedPastTheWireType() {
        var writer = ProtobufWriter()
        writer.int(1, 150)        // (1 << 3) | 0 = 08
        writer.int(20, 7)         // (20 << 3) | 0 = 160 = a0 01
        #expect(Self.hex(writer.bytes) == "08 96 01 a0 01 07")
    }

    @Test func stringsAndBytesAreLengthDelimited() {
        var writer = ProtobufWriter()
        writer.string(2, "testing")        // the guide's example: 12 07 74 65 73 74 69 6e 67
        writer.data(9, [])                 // an empty payload still has its key and length
        #expect(Self.hex(writer.bytes) == "12 07 74 65 73 74 69 6e 67 4a 00")
    }

    @Test func floatsAreFourLittleEndianBytes() {
        var writer = ProtobufWriter()
        writer.float(2, 1.5)               // (2 << 3) | 5 = 15; 1.5f = 0x3fc00000
        #expect(Self.hex(writer.bytes) == "15 00 00 c0 3f")
    }

    @Test func anEmptyMessageIsWrittenNotOmitted() {
        // An ONNX scalar's shape is an empty TensorShapeProto: present, with no dims.
        var writer = ProtobufWriter()
        writer.message(2) { _ in }
        writer.message(1) { $0.int(1, 3) }
        #expect(Self.hex(writer.bytes) == "12 00 0a 02 08 03")
    }

    @Test func repeatedIntsAreUnpackedAsProto2WritesThem() {
        var writer = ProtobufWriter()
        writer.repeatedInts(1, [2, 3])
        #expect(Self.hex(writer.bytes) == "08 02 08 03")
    }
}
