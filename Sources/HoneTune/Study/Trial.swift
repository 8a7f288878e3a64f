import Foundation

/// One evaluation of the objective, handed to it by ``Study/optimize(trials:totalTrials:timeout:parallelism:catching:objective:)``
/// or returned by ``Study/ask()``.
///
/// Each `suggest…` call returns a value for a named parameter: an enqueued value if one was
/// given, else the sampler's joint (relative) proposal if it covers the parameter, else an
/// independent sample. Suggesting the same name again returns the same value; suggesting it
/// with a different distribution throws ``TuneError/distributionConflict(param:existing:requested:)``.
///
/// ```swift
/// let lr = try trial.suggestFloat("lr", 1e-5...1e-1, log: true)
/// let layers = try trial.suggestInt("layers", 1...4)
/// let act = try trial.suggestCategorical("act", ["relu", "gelu"])
/// for epoch in 0..<10 {
///     try trial.report(validationLoss(epoch), step: epoch)
///     if try trial.shouldPrune() { throw TrialPruned() }
/// }
/// ```
public final class Trial: @unchecked Sendable {
    public let number: Int
    /// The storage id.
    public let id: Int64
    public let study: Study
    private let lock = NSLock()
    private var frozen: FrozenTrial
    private let snapshot: StudySnapshot
    private let relativeSpace: [String: Distribution]
    private let relativeParams: [String: Double]
    private let fixedParams: [String: ParamValue]
    private var finished = false

    init(study: Study, frozen: FrozenTrial, snapshot: StudySnapshot, relativeSpace: [String: Distribution],
         relativeParams: [String: Double], fixedParams: [String: ParamValue]) {
        self.study = study; self.number = frozen.number; self.id = frozen.id; self.frozen = frozen
        self.snapshot = snapshot; self.relativeSpace = relativeSpace; self.relativeParams = relativeParams
        self.fixedParams = fixedParams
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }

    /// The trial as this process knows it (parameters, intermediate values, attributes so far).
    public var frozenTrial: FrozenTrial { locked { frozen } }

    /// Parameters suggested so far, as the objective saw them.
    public var params: [String: ParamValue] { locked { frozen.externalParams } }

    var lastIntermediateValue: Double? {
        locked { frozen.lastStep.flatMap { frozen.intermediateValues[$0] } }
    }

    /// Whether the trial was told (finished) through this object.
    public var isFinished: Bool { locked { finished } }

    func markFinished() { locked { finished = true } }

    // MARK: suggest

    /// A float in `range`; `log` samples log-uniformly (needs low > 0); `step` restricts the
    /// value to low + k·step (cannot be combined with `log`).
    public func suggestFloat(_ name: String, _ range: ClosedRange<Double>, log: Bool = false,
                             step: Double? = nil) throws -> Double {
        let (low, high) = (range.lowerBound, range.upperBound)
        guard low.isFinite, high.isFinite else {
            throw TuneError.invalidDistribution(param: name, reason: "bounds must be finite, got \(low)...\(high)")
        }
        if log && low <= 0 { throw TuneError.invalidDistribution(param: name, reason: "log scale needs low > 0, got low = \(low)") }
        if let step {
            guard step > 0, step.isFinite else { throw TuneError.invalidDistribution(param: name, reason: "step must be positive, got \(step)") }
            if log { throw TuneError.invalidDistribution(param: name, reason: "step and log cannot be combined") }
        }
        return try suggest(name, .float(low: low, high: high, log: log, step: step))
    }

    /// An integer in `range`; `log` samples log-uniformly (needs low ≥ 1); `step` restricts the
    /// value to low + k·step.
    public func suggestInt(_ name: String, _ range: ClosedRange<Int>, log: Bool = false, step: Int = 1) throws -> Int {
        let low = range.lowerBound
        if log && low < 1 { throw TuneError.invalidDistribution(param: name, reason: "log scale needs low >= 1, got low = \(low)") }
        guard step > 0 else { throw TuneError.invalidDistribution(param: name, reason: "step must be positive, got \(step)") }
        if log && step != 1 { throw TuneError.invalidDistribution(param: name, reason: "step and log cannot be combined") }
        return Int(try suggest(name, .int(low: low, high: range.upperBound, log: log, step: step)).rounded())
    }

    /// One of `choices` (strings, ints, doubles or bools).
    public func suggestCategorical<T: CategoricalValue>(_ name: String, _ choices: [T]) throws -> T {
        guard !choices.isEmpty else { throw TuneError.invalidDistribution(param: name, reason: "choices must not be empty") }
        let d = Distribution.categorical(choices: choices.map(\.categoricalChoice))
        let index = Int(try suggest(name, d).rounded())
        return choices[index]
    }

    /// Suggests a parameter given its ``Distribution`` directly; returns the internal value
    /// (the index for categoricals).
    public func suggest(_ name: String, _ distribution: Distribution) throws -> Double {
        try Self.validate(name, distribution)
        lock.lock(); defer { lock.unlock() }
        if let existing = frozen.distributions[name], let v = frozen.params[name] {
            guard existing == distribution else {
                throw TuneError.distributionConflict(param: name, existing: existing, requested: distribution)
            }
            return v
        }
        let value: Double
        if let fixed = fixedParams[name] {
            guard let v = Self.internalValue(fixed, in: distribution), distribution.contains(v) else {
                throw TuneError.invalidDistribution(param: name, reason: "enqueued value \(fixed) is not in \(distribution)")
            }
            value = v
        } else if let v = relativeParams[name], relativeSpace[name] == distribution {
            value = v
        } else {
            value = study.sampler.sampleIndependent(study: snapshot, trial: frozen, name: name, distribution: distribution)
        }
        try study.storage.setParam(trialID: id, name: name, value: value, distribution: distribution)
        frozen.params[name] = value
        frozen.distributions[name] = distribution
        return value
    }

    static func internalValue(_ p: ParamValue, in d: Distribution) -> Double? {
        if case .float(let x) = p, case .int = d, x == x.rounded() { return x }
        return p.internalValue(in: d)
    }

    static func validate(_ name: String, _ d: Distribution) throws {
        switch d {
        case let .float(low, high, log, step):
            if !(low <= high) { throw TuneError.invalidDistribution(param: name, reason: "low \(low) > high \(high)") }
            if log && low <= 0 { throw TuneError.invalidDistribution(param: name, reason: "log scale needs low > 0, got low = \(low)") }
            if let step, !(step > 0) { throw TuneError.invalidDistribution(param: name, reason: "step must be positive, got \(step)") }
        case let .int(low, high, log, step):
            if low > high { throw TuneError.invalidDistribution(param: name, reason: "low \(low) > high \(high)") }
            if log && low < 1 { throw TuneError.invalidDistribution(param: name, reason: "log scale needs low >= 1, got low = \(low)") }
            if step <= 0 { throw TuneError.invalidDistribution(param: name, reason: "step must be positive, got \(step)") }
        case let .categorical(choices):
            if choices.isEmpty { throw TuneError.invalidDistribution(param: name, reason: "choices must not be empty") }
        }
    }

    // MARK: report / prune / attributes

    /// Records an intermediate objective value at `step` (≥ 0). A second report at the same
    /// step is ignored, as in Optuna.
    public func report(_ value: Double, step: Int) throws {
        guard step >= 0 else { throw TuneError.invalidArgument(field: "report step", reason: "must be >= 0, got \(step)") }
        try locked {
            if frozen.intermediateValues[step] != nil { return }
            try study.storage.setIntermediateValue(trialID: id, step: step, value: value)
            frozen.intermediateValues[step] = value
        }
    }

    /// Asks the study's pruner whether to stop now, from fresh intermediate values of all trials.
    public func shouldPrune() throws -> Bool {
        // Every report is written through, so the stored trial is current; using it (rather
        // than patching the snapshot with the local copy) avoids copying the trial array.
        let snap = try study.snapshot()
        let me = snap.trials.indices.contains(number) && snap.trials[number].id == id ? snap.trials[number] : frozenTrial
        return study.pruner.shouldPrune(study: snap, trial: me)
    }

    /// Sets a free-form attribute, stored with the trial.
    public func setUserAttribute(_ key: String, _ value: String) throws {
        try locked {
            try study.storage.setTrialAttribute(trialID: id, key: key, value: value, system: false)
            frozen.userAttributes[key] = value
        }
    }

    /// Sets an attribute on behalf of Hone or a plug-in (samplers, pruners, callbacks).
    public func setSystemAttribute(_ key: String, _ value: String) throws {
        try locked {
            try study.storage.setTrialAttribute(trialID: id, key: key, value: value, system: true)
            frozen.systemAttributes[key] = value
        }
    }
}
