import Foundation

extension Study {
    /// Runs the objective on new trials until a limit is reached.
    ///
    /// - Parameters:
    ///   - trials: how many trials this call runs (as Optuna's `n_trials`).
    ///   - totalTrials: stop once the study holds this many trials in all (resuming a study
    ///     then finishes the original budget instead of starting a new one).
    ///   - timeout: seconds after which no new trial starts.
    ///   - parallelism: worker threads (the objective must be thread-safe).
    ///   - catching: error types that mark the trial FAIL and let the study go on; any other
    ///     error marks the trial FAIL, stops all workers and is rethrown. ``TrialPruned`` marks
    ///     the trial PRUNED. A failed trial's error text is kept in system attribute `fail_reason`.
    ///
    /// ```swift
    /// try study.optimize(trials: 50, parallelism: 4) { trial in
    ///     let x = try trial.suggestFloat("x", -5...5)
    ///     return x * x
    /// }
    /// ```
    public func optimize(trials: Int? = nil, totalTrials: Int? = nil, timeout: Double? = nil,
                         parallelism: Int = 1, catching: [any Error.Type] = [],
                         objective: @escaping @Sendable (Trial) throws -> Double) throws {
        try optimize(trials: trials, totalTrials: totalTrials, timeout: timeout, parallelism: parallelism,
                     catching: catching, objectives: { [try objective($0)] })
    }

    /// Multi-objective form: the objective returns one value per study direction.
    public func optimize(trials: Int? = nil, totalTrials: Int? = nil, timeout: Double? = nil,
                         parallelism: Int = 1, catching: [any Error.Type] = [],
                         objectives: @escaping @Sendable (Trial) throws -> [Double]) throws {
        guard parallelism >= 1 else {
            throw TuneError.invalidArgument(field: "parallelism", reason: "must be >= 1, got \(parallelism)")
        }
        if let trials, trials < 0 { throw TuneError.invalidArgument(field: "trials", reason: "must be >= 0, got \(trials)") }
        guard trials != nil || totalTrials != nil || timeout != nil else {
            throw TuneError.invalidArgument(field: "optimize", reason: "give trials, totalTrials or timeout")
        }
        var budget = trials ?? Int.max
        if let totalTrials {
            let existing = try self.trials().filter { $0.state != .waiting }.count
            budget = min(budget, max(0, totalTrials - existing))
        }
        let control = OptimizeControl(budget: budget,
                                      deadline: timeout.map { Date().timeIntervalSince1970 + $0 })
        let caught = catching.map { ObjectIdentifier($0) }
        if parallelism == 1 {
            runWorker(control, caught, objectives)
        } else {
            let group = DispatchGroup()
            for _ in 0..<parallelism {
                group.enter()
                let thread = Thread { [self] in
                    runWorker(control, caught, objectives)
                    group.leave()
                }
                thread.name = "hone-optimize"
                thread.start()
            }
            group.wait()
        }
        if let error = control.error { throw error }
    }

    private func runWorker(_ control: OptimizeControl, _ caught: [ObjectIdentifier],
                           _ objective: @Sendable (Trial) throws -> [Double]) {
        while control.takeSlot() {
            do {
                let trial = try ask()
                do {
                    let values = try objective(trial)
                    try tell(trial, state: .complete, values: values)
                } catch let e as TrialPruned {
                    _ = e
                    try tell(trial, state: .pruned)
                } catch {
                    try? trial.setSystemAttribute("fail_reason", String(describing: error))
                    try tell(trial, state: .fail)
                    if !caught.contains(ObjectIdentifier(type(of: error))) { control.stop(with: error) }
                }
            } catch {
                control.stop(with: error)
            }
        }
    }
}

/// Shared budget, deadline and first error of one `optimize` call.
private final class OptimizeControl: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private let deadline: Double?
    private var stopped = false
    private(set) var error: (any Error)?

    init(budget: Int, deadline: Double?) { self.remaining = budget; self.deadline = deadline }

    func takeSlot() -> Bool {
        lock.lock(); defer { lock.unlock() }
        if stopped || remaining <= 0 { return false }
        if let deadline, Date().timeIntervalSince1970 >= deadline { return false }
        remaining -= 1
        return true
    }

    func stop(with e: any Error) {
        lock.lock(); defer { lock.unlock() }
        if error == nil { error = e }
        stopped = true
    }
}
