import Foundation

/// Errors writing TensorBoard logs.
public enum TensorBoardError: Error, CustomStringConvertible {
    case cannotCreate(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreate(path, reason): return "TensorBoard: cannot create \(path): \(reason)"
        case let .writeFailed(path, reason): return "TensorBoard: cannot write \(path): \(reason)"
        }
    }
}

/// Writes scalar summaries as a TensorBoard events file
/// (`events.out.tfevents.<seconds>.<host>.<pid>.<n>`), readable by TensorBoard and by
/// `tensorboard.backend.event_processing.event_accumulator`.
///
/// Records are appended and flushed as they are written, so a crash loses at most the record
/// being written; TensorBoard ignores a torn final record.
///
/// ```swift
/// let tb = try TensorBoardWriter(directory: URL(fileURLWithPath: "runs/study/trial-3"))
/// try tb.add(scalars: ["loss/train": 0.41, "accuracy/validation": 0.87], step: 1)
/// try tb.close()
/// ```
public final class TensorBoardWriter: @unchecked Sendable {
    public let url: URL
    private let handle: FileHandle
    private let lock = NSLock()
    private let clock: @Sendable () -> Double

    private static let counter = Counter()
    private final class Counter: @unchecked Sendable {
        private var n = 0
        private let lock = NSLock()
        func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
    }

    /// Creates `directory` if needed and starts a new events file in it.
    /// `clock` gives the wall time recorded with each event (seconds since 1970).
    public init(directory: URL, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws {
        self.clock = clock
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TensorBoardError.cannotCreate(path: directory.path, reason: "\(error)")
        }
        let now = clock()
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        let name = String(format: "events.out.tfevents.%010d.%@.%d.%d", Int(now), host,
                          Int(ProcessInfo.processInfo.processIdentifier), Self.counter.next())
        url = directory.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let h = FileHandle(forWritingAtPath: url.path) else {
            throw TensorBoardError.cannotCreate(path: url.path, reason: "could not open the file for writing")
        }
        handle = h
        try write(EventEncoding.fileVersionEvent(wallTime: now))
    }

    /// Appends one event holding every scalar in `scalars` (tags sorted for a stable file).
    public func add(scalars: [String: Double], step: Int) throws {
        let items = scalars.keys.sorted().map { ($0, Float(scalars[$0]!)) }
        try write(EventEncoding.scalarEvent(wallTime: clock(), step: Int64(step), scalars: items))
    }

    /// Appends one scalar.
    public func add(scalar value: Double, tag: String, step: Int) throws {
        try add(scalars: [tag: value], step: step)
    }

    /// Flushes to disk and closes the file.
    public func close() throws {
        lock.lock(); defer { lock.unlock() }
        do { try handle.synchronize(); try handle.close() } catch {
            throw TensorBoardError.writeFailed(path: url.path, reason: "\(error)")
        }
    }

    private func write(_ event: [UInt8]) throws {
        lock.lock(); defer { lock.unlock() }
        do { try handle.write(contentsOf: Data(EventEncoding.record(event))) } catch {
            throw TensorBoardError.writeFailed(path: url.path, reason: "\(error)")
        }
    }
}
