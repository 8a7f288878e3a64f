import Foundation

/// Protocol-buffer encoding of TensorBoard `Event` records (tensorboard `event.proto`,
/// `summary.proto`) and their TFRecord framing — just the fields scalar logging needs.
///
/// Event: wall_time = 1 (double), step = 2 (varint), file_version = 3 (string), summary = 5.
/// Summary: value = 1. Summary.Value: tag = 1 (string), simple_value = 2 (float).
enum EventEncoding {
    static func varint(_ v: UInt64, into out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    static func lengthDelimited(field: UInt8, _ payload: [UInt8], into out: inout [UInt8]) {
        out.append(field << 3 | 2)
        varint(UInt64(payload.count), into: &out)
        out += payload
    }

    static func header(wallTime: Double, step: Int64?) -> [UInt8] {
        var out: [UInt8] = [0x09]
        withUnsafeBytes(of: wallTime.bitPattern.littleEndian) { out += $0 }
        if let step { out.append(0x10); varint(UInt64(bitPattern: step), into: &out) }
        return out
    }

    /// The first record of every events file: `file_version = "brain.Event:2"`.
    static func fileVersionEvent(wallTime: Double) -> [UInt8] {
        var out = header(wallTime: wallTime, step: nil)
        lengthDelimited(field: 3, Array("brain.Event:2".utf8), into: &out)
        return out
    }

    /// An event holding scalar summaries (`tag` → `simple_value`).
    static func scalarEvent(wallTime: Double, step: Int64, scalars: [(String, Float)]) -> [UInt8] {
        var summary: [UInt8] = []
        for (tag, value) in scalars {
            var v: [UInt8] = []
            lengthDelimited(field: 1, Array(tag.utf8), into: &v)
            v.append(0x15)
            withUnsafeBytes(of: value.bitPattern.littleEndian) { v += $0 }
            lengthDelimited(field: 1, v, into: &summary)
        }
        var out = header(wallTime: wallTime, step: step)
        lengthDelimited(field: 5, summary, into: &out)
        return out
    }

    /// TFRecord framing: u64 LE length, masked CRC of the length, data, masked CRC of the data.
    static func record(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(data.count).littleEndian) { out += $0 }
        let lengthBytes = Array(out)
        withUnsafeBytes(of: CRC32C.masked(lengthBytes).littleEndian) { out += $0 }
        out += data
        withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { out += $0 }
        return out
    }
}
