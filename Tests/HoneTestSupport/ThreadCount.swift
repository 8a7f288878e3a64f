import Foundation
import HoneCompute

/// One lock for every test that changes the process-wide `Compute.threadCount`: Swift Testing
/// runs tests in parallel, and without it one test's override (or its restore) lands in the
/// middle of another's.
private let threadCountLock = NSRecursiveLock()

/// Runs `body` with `Compute.threadCount = threads`, holding the test-wide thread-count lock,
/// and restores the previous count afterwards. Inside `body` the count may be changed again.
///
/// ```swift
/// let one = withThreadCount(1) { run() }, three = withThreadCount(3) { run() }
/// ```
public func withThreadCount<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
    threadCountLock.lock()
    defer { threadCountLock.unlock() }
    let saved = Compute.threadCount
    Compute.threadCount = threads
    defer { Compute.threadCount = saved }
    return try body()
}
