import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files the crash-safe way: a temporary file in the same folder, fsync, rename.
///
/// ```swift
/// try AtomicFile.write(Data(csv.utf8), to: "trials.csv")
/// ```
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        do {
            guard FileManager.default.createFile(atPath: tmp, contents: nil),
                  let h = FileHandle(forWritingAtPath: tmp) else {
                throw TuneError.invalidArgument(field: "output file '\(path)'", reason: "cannot create \(tmp)")
            }
            defer { try? h.close() }
            try h.write(contentsOf: data)
            try h.synchronize()
            guard rename(tmp, path) == 0 else {
                throw TuneError.invalidArgument(field: "output file '\(path)'", reason: "rename failed: errno \(errno)")
            }
        } catch {
            unlink(tmp)
            if error is TuneError { throw error }
            throw TuneError.invalidArgument(field: "output file '\(path)'", reason: "\(error)")
        }
    }
}
