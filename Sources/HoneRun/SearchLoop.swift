import Foundation
import HoneCompute
import HoneTune

/// The trial loop of `hone tune` and `hone worker`: runs trials until the study holds `budget`
/// trials (counting every worker's, in any process), the deadline passes or an error stops it,
/// with `parallelism` trials at a time in this process.
///
/// Cores: the kernel thread pool is process-wide (`Compute.threadCount`), so while the loop
/// runs it is set to `max(1, threads / parallelism)` and restored afterwards — threads per
/// trial × trials ≤ cores. With `parallelism` ≥ cores each trial runs its kernels on its own
/// thread (no pool hand-offs at all), which is the most efficient setting for small models.
/// The pool runs one parallel kernel at a time, so with 1 < threads per trial the trials'
/// kernels take turns on it; prefer `parallelism` = cores for throughput, 1 for the fastest
/// single trial.
///
/// Budget: a trial slot is taken (locally, atomically) before asking, so this process never
/// overshoots; several processes together may overshoot by at most one trial each.
///
/// ```swift
/// try SearchLoop.run(study: study, budget: 50, timeout: nil, parallelism: 2,
///                    onTrialEnd: { n in print("trial \(n) done") }) { trial in try objective(trial) }
/// ```
public enum SearchLoop {
    public static func run(study: Study, budget: Int, timeout: Double?, parallelism: Int,
                           catching: [any Error.Type] = [],
                           onTrialEnd: @escaping @Sendable (Int) -> Void,
                           objective: @escaping @Sendable (Trial) throws -> Double) throws {
        guard parallelism >= 1 else {
            throw TuneError.invalidArgument(field: "search.parallelism", reason: "must be >= 1, got \(parallelism)")
        }
        let saved = Compute.threadCount
        if parallelism > 1 { Compute.threadCount = max(1, saved / parallelism) }
        defer { Compute.threadCount = saved }
        let state = LoopState(deadline: timeout.map { Date().addingTimeInterval($0) })
        let caughtTypes = catching
        let worker: @Sendable () -> Void = {
            while state.takeSlot(study: study, budget: budget) {
                let number = NumberBox()
                do {
                    try study.optimize(trials: 1, catching: caughtTypes) { trial in
                        // Asked: storage counts this trial from now on.
                        if number.set(trial.number) { state.release() }
                        return try objective(trial)
                    }
                    if let n = number.get() { onTrialEnd(n) } else { state.release() }
                } catch {
                    if let n = number.get() { onTrialEnd(n) } else { state.release() }
                    state.stop(error)
                }
            }
        }
        if parallelism == 1 {
            worker()
        } else {
            let group = DispatchGroup()
            for i in 0..<parallelism {
                group.enter()
                let t = Thread { worker(); group.leave() }
                t.name = "hone-trial-\(i)"
                t.stackSize = 8 << 20
                t.start()
            }
            group.wait()
        }
        if let e = state.error { throw e }
    }
}

private final class NumberBox: @unchecked Sendable {
    private let lock = NSLock()
    private var n: Int?
    /// Stores the number; true the first time.
    func set(_ v: Int) -> Bool { lock.lock(); defer { lock.unlock() }; let first = n == nil; n = v; return first }
    func get() -> Int? { lock.lock(); defer { lock.unlock() }; return n }
}

private final class LoopState: @unchecked Sendable {
    private let lock = NSLock()
    private let deadline: Date?
    private var inFlight = 0
    private(set) var error: (any Error)?

    init(deadline: Date?) { self.deadline = deadline }

    func takeSlot(study: Study, budget: Int) -> Bool {
        lock.lock(); defer { lock.unlock() }
        if error != nil { return false }
        if let deadline, Date() >= deadline { return false }
        do {
            let started = try study.trials().filter { $0.state != .waiting }.count
            // Trials this process asked for are RUNNING in storage already; count only those
            // whose ask has not happened yet.
            guard started + inFlight < budget else { return false }
        } catch {
            self.error = error
            return false
        }
        inFlight += 1
        return true
    }

    /// The trial's slot is now counted by storage (it was asked) or was never used.
    func release() { lock.lock(); inFlight -= 1; lock.unlock() }

    func stop(_ e: any Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}
