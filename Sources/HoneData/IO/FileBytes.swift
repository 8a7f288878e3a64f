#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Whole-file reads with POSIX calls (no Foundation copy), failing with a `DataError` that names
/// the path and the system's reason.
enum FileBytes {
    /// The file's bytes, exactly as stored.
    static func read(path: String) throws(DataError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw DataError(.unreadable, file: path, "cannot open: \(systemReason())") }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 {
            throw DataError(.unreadable, file: path, "cannot stat: \(systemReason())")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw DataError(.unreadable, file: path, "is a directory, expected a file")
        }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0))
        var filled = 0
        // Read until EOF: the size from fstat is a hint (the file may change or be a pipe).
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 1 << 16))) }
            let n = bytes.withUnsafeMutableBytes { buffer in
                posixRead(fd, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw DataError(.unreadable, file: path, "read failed: \(systemReason())")
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// The file's bytes, gunzipped when they start with the gzip magic `1F 8B`.
    static func readMaybeGzip(path: String) throws(DataError) -> [UInt8] {
        let raw = try read(path: path)
        return Gzip.isGzip(raw) ? try Gzip.decompress(raw, file: path) : raw
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func systemReason() -> String { String(cString: strerror(errno)) }
}

@inline(__always)
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
