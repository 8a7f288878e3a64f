import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The executable `name` built next to the test bundle (`.build/<triple>/<configuration>/`), or
/// nil when it was not built.
///
/// ```swift
/// let hone = try #require(builtExecutable("hone"))
/// ```
public func builtExecutable(_ name: String) -> String? {
    guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<4 {
        let p = dir.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: p) { return p }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}

/// A child process for tests, with an exit that cannot hang the suite.
///
/// Its end is observed through `terminationHandler`, registered before the process starts, and a
/// semaphore with a time limit: `Process.waitUntilExit()` polls a run loop and, off the main
/// thread with many children spawned (as Swift Testing's parallel tests do), it can miss the exit
/// and wait forever. A child still running at the limit is killed, and `wait` says so.
///
/// ```swift
/// let child = try ChildProcess(hone, ["tune", "--quiet"], stdout: FileHandle.nullDevice)
/// let status = child.wait(timeout: 300)   // nil: killed at the limit
/// ```
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable` with `arguments`; `environment` entries are added to this process's
    /// environment. `stdout`/`stderr` are a `Pipe` or `FileHandle` (nil: inherited).
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                stdout: Any? = nil, stderr: Any? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if let stdout { process.standardOutput = stdout }
        if let stderr { process.standardError = stderr }
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
    }

    /// The child's process id.
    public var pid: Int32 { process.processIdentifier }

    /// Waits up to `timeout` seconds for the exit and returns the exit status; if the child is
    /// still running then, kills it (SIGKILL), reaps it and returns nil.
    @discardableResult
    public func wait(timeout: TimeInterval = 600) -> Int32? {
        lock.lock(); defer { lock.unlock() }
        if let status { return status }
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = exited.wait(timeout: .now() + 30)
            return nil
        }
        status = process.terminationStatus
        return status
    }
}

/// What a finished child printed, and how it ended.
public struct ProcessOutput: Sendable {
    /// The exit status; -1 when the child was killed at the time limit.
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs `executable` to completion with a time limit, reading its standard output and error
/// concurrently (a child that fills one pipe while the test reads the other cannot block).
/// `environment` entries are added to this process's environment.
///
/// ```swift
/// let r = try runToCompletion(hone, ["ask", "--storage", url])
/// #expect(r.status == 0, "\(r.stderr)")
/// ```
public func runToCompletion(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                            timeout: TimeInterval = 600) throws -> ProcessOutput {
    let out = Pipe(), err = Pipe()
    let child = try ChildProcess(executable, arguments, environment: environment, stdout: out, stderr: err)
    let stdout = PipeReader(out), stderr = PipeReader(err)
    let status = child.wait(timeout: timeout)
    var errText = stderr.text()
    if status == nil { errText += "\n[test support] \(executable) killed after \(Int(timeout)) s" }
    return ProcessOutput(status: status ?? -1, stdout: stdout.text(), stderr: errText)
}

/// Reads a pipe to its end on a background thread.
public final class PipeReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    public init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// Everything the pipe carried, once every writer has closed it.
    public func text() -> String {
        done.wait()
        done.signal()
        return String(decoding: data, as: UTF8.self)
    }
}
