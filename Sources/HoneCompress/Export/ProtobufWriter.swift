/// A minimal Protocol Buffers encoder (wire format: https://protobuf.dev/programming-guides/encoding/):
/// varints, length-delimited fields (strings, bytes, nested messages) and fixed32 floats — all
/// that ONNX's messages need. Repeated scalars are written unpacked (one tag each), which every
/// proto2/proto3 parser accepts.
///
/// ```swift
/// var w = ProtobufWriter()
/// w.int(1, 7)            // field 1, varint 7
/// w.string(2, "relu")    // field 2, length-delimited
/// w.message(3) { $0.float(1, 0.5) }
/// let bytes = w.bytes
/// ```
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    private mutating func tag(_ field: Int, _ wire: UInt64) { varint(UInt64(field) << 3 | wire) }

    /// An int32/int64/enum field (negative values as 10-byte two's complement varints).
    mutating func int(_ field: Int, _ v: Int64) { tag(field, 0); varint(UInt64(bitPattern: v)) }
    mutating func int(_ field: Int, _ v: Int) { int(field, Int64(v)) }

    mutating func float(_ field: Int, _ v: Float) {
        tag(field, 5)
        let b = v.bitPattern.littleEndian
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: b >> (8 * UInt32(i)))) }
    }

    mutating func data(_ field: Int, _ d: [UInt8]) { tag(field, 2); varint(UInt64(d.count)); bytes += d }
    mutating func string(_ field: Int, _ s: String) { data(field, Array(s.utf8)) }
    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        data(field, inner.bytes)
    }
}
