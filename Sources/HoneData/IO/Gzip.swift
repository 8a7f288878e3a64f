import CZlib

/// gzip decompression (RFC 1952) through the system zlib, with every failure mapped to a
/// `DataError` naming the file: truncated stream, corrupt deflate data, CRC-32 or ISIZE mismatch,
/// trailing bytes. Concatenated gzip members are decoded in turn, as `gzip -d` does.
///
/// ```swift
/// let raw = try Gzip.decompress(compressedBytes, file: "t10k-images-idx3-ubyte.gz")
/// ```
public enum Gzip {
    /// True when `bytes` start with the gzip magic `1F 8B`.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The decompressed bytes of every gzip member in `input`.
    public static func decompress(_ input: [UInt8], file: String) throws(DataError) -> [UInt8] {
        var stream = z_stream()
        guard hone_inflate_init_gzip(&stream) == Z_OK else {
            throw DataError(.corruptCompression, file: file, "zlib could not start inflating (out of memory?)")
        }
        defer { inflateEnd(&stream) }

        // ISIZE (the last 4 bytes) is the last member's size mod 2^32: a good first guess.
        var output = [UInt8](repeating: 0, count: initialCapacity(input))
        var produced = 0
        var consumed = 0
        let maxChunk = 1 << 30  // avail_in is a 32-bit count
        while true {
            if produced == output.count {
                output.append(contentsOf: repeatElement(0, count: max(output.count, 1 << 16)))
            }
            let chunk = min(input.count - consumed, maxChunk)
            let before = (inBytes: consumed, outBytes: produced)
            var code: Int32 = Z_OK
            input.withUnsafeBufferPointer { src in
                output.withUnsafeMutableBufferPointer { dst in
                    stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress.map { $0 + consumed })
                    stream.avail_in = UInt32(chunk)
                    stream.next_out = dst.baseAddress! + produced
                    stream.avail_out = UInt32(min(dst.count - produced, maxChunk))
                    let availIn = stream.avail_in, availOut = stream.avail_out
                    code = inflate(&stream, Z_NO_FLUSH)
                    consumed += Int(availIn - stream.avail_in)
                    produced += Int(availOut - stream.avail_out)
                }
            }
            switch code {
            case Z_STREAM_END:
                if consumed == input.count {
                    output.removeSubrange(produced...)
                    return output
                }
                let rest = input.count - consumed
                if rest >= 2 && input[consumed] == 0x1F && input[consumed + 1] == 0x8B {
                    inflateReset(&stream)  // another gzip member follows
                    continue
                }
                throw DataError(.corruptCompression, file: file,
                                "\(rest) unexpected bytes after the end of the gzip stream at byte \(consumed)")
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress: either the output is full (grow it) or the input ran out.
                if produced == output.count { continue }
                if consumed == input.count || (consumed == before.inBytes && produced == before.outBytes) {
                    throw DataError(.corruptCompression, file: file,
                                    "gzip data is truncated: the stream ends after \(input.count) bytes without its end marker and CRC-32/ISIZE trailer")
                }
                continue
            case Z_DATA_ERROR:
                let reason = stream.msg.map { String(cString: $0) } ?? "invalid data"
                throw DataError(.corruptCompression, file: file,
                                "gzip data is corrupt near byte \(consumed): \(describe(reason))")
            case Z_MEM_ERROR:
                throw DataError(.corruptCompression, file: file, "zlib ran out of memory while inflating")
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                throw DataError(.corruptCompression, file: file, "gzip data is corrupt: \(reason)")
            }
        }
    }

    private static func describe(_ zlibMessage: String) -> String {
        switch zlibMessage {
        case "incorrect data check": return "CRC-32 mismatch (incorrect data check)"
        case "incorrect length check": return "ISIZE mismatch (incorrect length check)"
        case "incorrect header check", "unknown compression method":
            return "bad gzip header (\(zlibMessage))"
        default: return zlibMessage
        }
    }

    private static func initialCapacity(_ input: [UInt8]) -> Int {
        guard input.count >= 18 else { return 1 << 12 }
        let n = input.count
        let isize = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
        // Deflate expands at most ~1032:1; a larger claim is corrupt, so do not trust it.
        let plausible = input.count.multipliedReportingOverflow(by: 1032)
        let cap = plausible.overflow ? Int.max : plausible.partialValue
        return min(max(isize, 1 << 12), cap, 1 << 31)
    }
}
