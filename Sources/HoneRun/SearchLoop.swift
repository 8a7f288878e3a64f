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
    private let cond = NSCondition()
    private let deadline: Date?
    private var inFlight = 0
    private(set) var error: (any Error)?

    init(deadline: Date?) { self.deadline = deadline }

    /// Claims the right to ask one more trial, or says the budget (or time) is spent.
    func takeSlot(study: Study, budget: Int) -> Bool {
        cond.lock(); defer { cond.unlock() }
        while true {
            if error != nil { return false }
            if let deadline, Date() >= deadline { return false }
            let started: Int
            do {
                started = try study.trials().filter { $0.state != .waiting }.count
            } catch {
                self.error = error
                return false
            }
            // Trials this process asked for are RUNNING in storage already; `inFlight` counts
            // slots whose ask has not been released yet.
            if started + inFlight < budget {
                inFlight += 1
                return true
            }
            // A slot whose trial was just asked is in storage and still in `inFlight`, counted
            // twice: wait for its release and count again rather than give up a worker early.
            if inFlight == 0 { return false }
            cond.wait()
        }
    }

    /// The trial's slot is now counted by storage (it was asked) or was never used.
    func release() { cond.lock(); inFlight -= 1; cond.broadcast(); cond.unlock() }

    func stop(_ e: any Error) { cond.lock(); if error == nil { error = e }; cond.broadcast(); cond.unlock() }
}
