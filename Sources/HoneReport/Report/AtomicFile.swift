import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors writing report files.
public enum ReportError: Error, CustomStringConvertible {
    case writeFailed(path: String, reason: String)
    public var description: String {
        switch self { case let .writeFailed(path, reason): return "cannot write \(path): \(reason)" }
    }
}

/// Write-to-temp, fsync, rename: readers see the old file or the new one, never half of one.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw ReportError.writeFailed(path: url.path, reason: "\(error)")
        }
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ReportError.writeFailed(path: tmp.path, reason: String(cString: strerror(errno))) }
        let ok = data.withUnsafeBytes { buf -> Bool in
            var off = 0
            while off < buf.count {
                let n = sysWrite(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { return false }
                off += n
            }
            return fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(tmp.path, url.path) == 0 else {
            unlink(tmp.path)
            throw ReportError.writeFailed(path: url.path, reason: String(cString: strerror(errno)))
        }
    }
}

private func sysWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}
