import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Atomic file replacement: write a temporary file in the destination's directory, fsync it,
/// rename it over the destination, then fsync the directory, so a crash leaves either the old
/// file or the complete new one.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        let path = url.path
        let dir = url.deletingLastPathComponent().path
        let temp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw SafeTensorsError.io(file: path, reason: "cannot create \(temp): \(errnoText())") }
        var ok = false
        defer { if !ok { unlink(temp) } }
        var written = 0
        while written < bytes.count {
            let r = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if r < 0 {
                if errno == EINTR { continue }
                let e = errnoText(); close(fd)
                throw SafeTensorsError.io(file: path, reason: "write failed: \(e)")
            }
            written += r
        }
        guard fsync(fd) == 0 else { let e = errnoText(); close(fd); throw SafeTensorsError.io(file: path, reason: "fsync failed: \(e)") }
        close(fd)
        guard rename(temp, path) == 0 else { throw SafeTensorsError.io(file: path, reason: "rename failed: \(errnoText())") }
        ok = true
        let dfd = open(dir, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
