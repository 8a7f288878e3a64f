import Foundation

/// A hyperparameter search: a named set of trials in a storage, one or more objective
/// directions, a sampler that proposes parameters and a pruner that stops bad trials early.
///
/// Define-by-run, like Optuna: the objective asks the ``Trial`` for parameters as it goes, so
/// conditional spaces are ordinary control flow.
///
/// ```swift
/// let study = try Study(name: "demo", direction: .minimize, sampler: RandomSampler(seed: 1))
/// try study.optimize(trials: 100) { trial in
///     let x = try trial.suggestFloat("x", -10...10)
///     let kind = try trial.suggestCategorical("kind", ["a", "b"])
///     return kind == "a" ? (x - 2) * (x - 2) : abs(x)
/// }
/// print(try study.bestTrial.params)
/// ```
///
/// Opening a study whose name is already stored resumes it (its directions must agree).
public final class Study: Sendable {
    public let name: String
    public let directions: [StudyDirection]
    public let sampler: any Sampler
    public let pruner: any Pruner
    public let storage: any Storage
    public let heartbeat: HeartbeatOptions
    /// The storage's id of this study.
    public let id: Int64
    let monitor: HeartbeatMonitor?

    /// Opens (or creates) a single-objective study.
    public convenience init(name: String = "study", direction: StudyDirection = .minimize,
                            sampler: any Sampler = RandomSampler(), pruner: any Pruner = NopPruner(),
                            storage: any Storage = InMemoryStorage(),
                            heartbeat: HeartbeatOptions = .standard,
                            attributes: [String: String] = [:]) throws {
        try self.init(name: name, directions: [direction], sampler: sampler, pruner: pruner,
                      storage: storage, heartbeat: heartbeat, attributes: attributes)
    }

    /// Opens (or creates) a study with one direction per objective.
    /// Throws ``TuneError/directionMismatch(study:stored:requested:)`` if the stored study disagrees.
    public init(name: String, directions: [StudyDirection],
                sampler: any Sampler = RandomSampler(), pruner: any Pruner = NopPruner(),
                storage: any Storage = InMemoryStorage(),
                heartbeat: HeartbeatOptions = .standard,
                attributes: [String: String] = [:]) throws {
        guard !directions.isEmpty else {
            throw TuneError.invalidArgument(field: "directions", reason: "need at least one direction")
        }
        guard !name.isEmpty else { throw TuneError.invalidArgument(field: "study name", reason: "must not be empty") }
        let (record, _) = try storage.loadOrCreateStudy(name: name, directions: directions, attributes: attributes)
        guard record.directions == directions else {
            throw TuneError.directionMismatch(study: name, stored: record.directions, requested: directions)
        }
        self.name = name; self.directions = directions; self.sampler = sampler; self.pruner = pruner
        self.storage = storage; self.heartbeat = heartbeat; self.id = record.id
        self.monitor = heartbeat.interval.map { HeartbeatMonitor(storage: storage, interval: $0) }
    }

    deinit { monitor?.stop() }

    /// The first direction (the only one for single-objective studies).
    public var direction: StudyDirection { directions[0] }

    /// The study's stored attributes.
    public func attributes() throws -> [String: String] {
        try storage.study(named: name)?.attributes ?? [:]
    }

    /// All trials, in number order, optionally only those in `states`.
    public func trials(states: Set<TrialState>? = nil) throws -> [FrozenTrial] {
        let all = try storage.trials(studyID: id)
        guard let states else { return all }
        return all.filter { states.contains($0.state) }
    }

    /// What samplers and pruners see: directions and all trials.
    public func snapshot() throws -> StudySnapshot {
        StudySnapshot(name: name, directions: directions, trials: try storage.trials(studyID: id))
    }

    // MARK: ask / tell

    /// Starts a trial: drains enqueued (WAITING) trials first, fails stale trials of dead
    /// workers, runs the sampler's relative sampling and stores its system attributes.
    public func ask() throws -> Trial {
        let now = Date().timeIntervalSince1970
        let (frozen, _) = try storage.startTrial(studyID: id, now: now, stale: heartbeat.policy)
        monitor?.add(frozen.id)
        do {
            let snap = try snapshot()
            let space = sampler.relativeSearchSpace(study: snap, trial: frozen)
            var relative: [String: Double] = [:]
            if !space.isEmpty {
                for (k, v) in sampler.sampleRelative(study: snap, trial: frozen, space: space) {
                    if let d = space[k], d.contains(v) { relative[k] = v }
                }
            }
            var current = frozen
            for (k, v) in sampler.systemAttributes(study: snap, trial: frozen) {
                try storage.setTrialAttribute(trialID: frozen.id, key: k, value: v, system: true)
                current.systemAttributes[k] = v
            }
            let fixed = try current.systemAttributes[StaleTrialRetry.fixedParamsKey].map(Self.decodeFixed) ?? [:]
            return Trial(study: self, frozen: current, snapshot: snap, relativeSpace: space,
                         relativeParams: relative, fixedParams: fixed)
        } catch {
            _ = try? storage.finishTrial(trialID: frozen.id, state: .fail, values: nil, now: now)
            monitor?.remove(frozen.id)
            throw error
        }
    }

    /// Finishes `trial` as COMPLETE with one value (single objective).
    @discardableResult
    public func tell(_ trial: Trial, _ value: Double) throws -> FrozenTrial {
        try tell(trial, values: [value])
    }

    /// Finishes `trial` with a state; COMPLETE needs one value per direction. A NaN value makes
    /// the trial FAIL (as in Optuna). PRUNED without values keeps the last intermediate value.
    @discardableResult
    public func tell(_ trial: Trial, state: TrialState = .complete, values: [Double]? = nil) throws -> FrozenTrial {
        let t = try finish(trialID: trial.id, number: trial.number, state: state, values: values,
                           lastIntermediate: trial.lastIntermediateValue)
        trial.markFinished()
        return t
    }

    /// Finishes the RUNNING trial numbered `number` (the ask/tell front end). Throws
    /// ``TuneError/unknownTrial(study:number:)`` or ``TuneError/trialNotRunning(study:number:state:)``,
    /// changing nothing.
    @discardableResult
    public func tell(trialNumber number: Int, state: TrialState = .complete, values: [Double]? = nil) throws -> FrozenTrial {
        guard let t = try storage.trial(studyID: id, number: number) else {
            throw TuneError.unknownTrial(study: name, number: number)
        }
        guard t.state == .running else { throw TuneError.trialNotRunning(study: name, number: number, state: t.state) }
        let last = t.lastStep.flatMap { t.intermediateValues[$0] }
        return try finish(trialID: t.id, number: number, state: state, values: values, lastIntermediate: last)
    }

    private func finish(trialID: Int64, number: Int, state: TrialState, values: [Double]?,
                        lastIntermediate: Double?) throws -> FrozenTrial {
        var state = state
        var values = values
        switch state {
        case .waiting, .running:
            throw TuneError.invalidArgument(field: "state", reason: "tell needs COMPLETE, PRUNED or FAIL, got \(state.rawValue)")
        case .complete:
            guard let v = values else { throw TuneError.wrongValueCount(study: name, expected: directions.count, got: 0) }
            guard v.count == directions.count else {
                throw TuneError.wrongValueCount(study: name, expected: directions.count, got: v.count)
            }
            if v.contains(where: \.isNaN) { state = .fail; values = nil }
        case .pruned:
            if values == nil, directions.count == 1, let last = lastIntermediate, !last.isNaN { values = [last] }
            if let v = values, v.count != directions.count {
                throw TuneError.wrongValueCount(study: name, expected: directions.count, got: v.count)
            }
        case .fail:
            values = nil
        }
        let t = try storage.finishTrial(trialID: trialID, state: state, values: values, now: Date().timeIntervalSince1970)
        monitor?.remove(trialID)
        return t
    }

    // MARK: enqueue

    /// Adds a configuration to try before sampling anything new. Parameters not given here are
    /// sampled as usual when the objective asks for them.
    ///
    /// ```swift
    /// try study.enqueue(["lr": .float(1e-3), "opt": .choice(.string("adam"))])
    /// ```
    @discardableResult
    public func enqueue(_ params: [String: ParamValue]) throws -> Int {
        let data = try JSONEncoder().encode(params)
        let t = try storage.enqueueTrial(studyID: id, params: [:], distributions: [:],
                                         systemAttributes: [StaleTrialRetry.fixedParamsKey: String(decoding: data, as: UTF8.self)])
        return t.number
    }

    static func decodeFixed(_ json: String) throws -> [String: ParamValue] {
        do { return try JSONDecoder().decode([String: ParamValue].self, from: Data(json.utf8)) }
        catch { throw TuneError.invalidArgument(field: "system attribute fixed_params", reason: "not valid JSON: \(error)") }
    }
}
