/// The protocol buffers wire format, as much of it as an ONNX model needs: varints, 32- and
/// 64-bit little-endian words, and length-delimited fields (strings, bytes, repeated fields and
/// nested messages). A field is a key, `(number << 3) | wireType`, then its payload.
/// See https://protobuf.dev/programming-guides/encoding/.
///
///     var writer = ProtobufWriter()
///     writer.int(1, 8)              // field 1, varint 8:  08 08
///     writer.string(2, "slope")     // field 2, length 5:  12 05 73 6c 6f 70 65
///     writer.bytes                  // the message
struct ProtobufWriter {
    /// The wire types this writer emits.
    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    private(set) var bytes: [UInt8] = []

    /// Base 128, least significant group first, the high bit set on every byte but the last.
    /// A negative int64 is its two's-complement bit pattern: ten bytes.
    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func key(_ field: Int, _ wireType: WireType) {
        varint(UInt64(field) << 3 | wireType.rawValue)
    }

    /// An int32, int64 or enum field.
    mutating func int(_ field: Int, _ value: Int) {
        key(field, .varint)
        varint(UInt64(bitPattern: Int64(value)))
    }

    /// A float field: four little-endian bytes.
    mutating func float(_ field: Int, _ value: Float) {
        key(field, .fixed32)
        append(littleEndian: UInt64(value.bitPattern), count: 4)
    }

    mutating func string(_ field: Int, _ value: String) {
        data(field, Array(value.utf8))
    }

    /// A bytes field (or any length-delimited payload).
    mutating func data(_ field: Int, _ payload: [UInt8]) {
        key(field, .lengthDelimited)
        varint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    /// An embedded message, written even when empty: for ONNX an empty shape (a scalar) is not
    /// the same as no shape (rank unknown).
    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        data(field, nested.bytes)
    }

    /// A repeated int64 field, one key and varint per element: onnx.proto is a proto2 file, whose
    /// repeated scalars are unpacked unless declared packed, so this is what the reference
    /// implementation writes (and the golden tests compare against its bytes).
    mutating func repeatedInts(_ field: Int, _ values: [Int]) {
        for value in values { int(field, value) }
    }

    private mutating func append(littleEndian value: UInt64, count: Int) {
        for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }
}
