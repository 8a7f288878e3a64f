import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Appends one JSON object per epoch to a JSON Lines file (`{"epoch":1,"loss":…,"val_loss":…}`).
/// Each line goes out in a single `write` on a descriptor opened with `O_APPEND` and is
/// fsync'ed, so a reader never sees half a line. Unless `append` is true the file is emptied
/// when training begins.
///
/// ```swift
/// let log = JSONLLogger(path: "runs/mlp.jsonl")
/// try fit(model, optimizer: opt, data: train, epochs: 10, batchSize: 128, callbacks: [log])
/// ```
public final class JSONLLogger: Callback {
    public let path: String
    public let append: Bool

    public init(path: String, append: Bool = false) { self.path = path; self.append = append }

    public func trainingWillBegin(state: TrainingState) throws {
        if !append { try write(Data(), flags: O_WRONLY | O_CREAT | O_TRUNC) }
    }

    public func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {
        try write(Data((log.jsonLine + "\n").utf8), flags: O_WRONLY | O_CREAT | O_APPEND)
    }

    private func write(_ data: Data, flags: Int32) throws {
        let fd = open(path, flags | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TrainingError.fileWriteFailed(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        let written = data.withUnsafeBytes { raw in raw.isEmpty ? 0 : systemWrite(fd, raw.baseAddress, raw.count) }
        guard written == data.count else {
            throw TrainingError.fileWriteFailed(path: path, reason: "short write (\(written) of \(data.count) bytes): \(String(cString: strerror(errno)))")
        }
        guard fsync(fd) == 0 else {
            throw TrainingError.fileWriteFailed(path: path, reason: "fsync failed: \(String(cString: strerror(errno)))")
        }
    }
}
