import CZlib

extension Gzip {
    /// gzip-compresses `input` (RFC 1952 single member, no file name, mtime 0), so the output
    /// depends only on the input, the level and the zlib version.
    ///
    /// ```swift
    /// let packed = Gzip.compress(IDXFile.encode(labels))
    /// let same = try Gzip.decompress(packed, file: "labels.gz")
    /// ```
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        precondition((0...9).contains(level), "Gzip.compress: level must be 0…9, got \(level)")
        var stream = z_stream()
        guard hone_deflate_init_gzip(&stream, level) == Z_OK else {
            preconditionFailure("Gzip.compress: zlib could not start deflating (out of memory)")
        }
        defer { deflateEnd(&stream) }
        precondition(input.count < Int(UInt32.max), "Gzip.compress: inputs of 4 GiB or more are not supported")
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        var code: Int32 = Z_OK
        input.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
                stream.avail_in = UInt32(src.count)
                stream.next_out = dst.baseAddress
                stream.avail_out = UInt32(dst.count)
                code = deflate(&stream, Z_FINISH)
            }
        }
        precondition(code == Z_STREAM_END, "Gzip.compress: deflate did not finish (code \(code))")
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}
