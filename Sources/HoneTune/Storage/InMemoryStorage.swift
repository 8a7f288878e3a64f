import Foundation

/// A process-local storage: fast, thread-safe, gone when the process exits.
///
/// ```swift
/// let study = try Study(name: "quick", storage: InMemoryStorage())
/// ```
public final class InMemoryStorage: Storage, @unchecked Sendable {
    private struct StudyData {
        var record: StudyRecord
        var trials: [FrozenTrial] = []   // index == number
        var waiting: [Int] = []          // numbers of WAITING trials, oldest first
        var running: Set<Int> = []       // numbers of RUNNING trials
    }

    private let lock = NSLock()
    private var studies: [StudyData] = []          // index == id - 1
    private var trialIndex: [Int64: (study: Int, number: Int)] = [:]
    private var heartbeats: [Int64: Double] = [:]
    private var nextTrialID: Int64 = 1

    public init() {}

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }

    public func loadOrCreateStudy(name: String, directions: [StudyDirection],
                                  attributes: [String: String]) throws -> (study: StudyRecord, created: Bool) {
        locked {
            if let s = studies.first(where: { $0.record.name == name }) { return (s.record, false) }
            let rec = StudyRecord(id: Int64(studies.count + 1), name: name, directions: directions, attributes: attributes)
            studies.append(StudyData(record: rec))
            return (rec, true)
        }
    }

    public func study(named name: String) throws -> StudyRecord? {
        locked { studies.first(where: { $0.record.name == name })?.record }
    }

    public func allStudies() throws -> [StudyRecord] { locked { studies.map(\.record) } }

    public func setStudyAttribute(studyID: Int64, key: String, value: String) throws {
        try locked { try studyIndex(studyID); studies[Int(studyID) - 1].record.attributes[key] = value }
    }

    @discardableResult
    private func studyIndex(_ id: Int64) throws -> Int {
        guard id >= 1, Int(id) <= studies.count else {
            throw TuneError.storage(path: "memory:", message: "no study with id \(id)")
        }
        return Int(id) - 1
    }

    private func newTrial(study s: Int, state: TrialState, params: [String: Double] = [:],
                          distributions: [String: Distribution] = [:],
                          userAttributes: [String: String] = [:],
                          systemAttributes: [String: String] = [:]) -> FrozenTrial {
        let number = studies[s].trials.count
        let t = FrozenTrial(id: nextTrialID, number: number, state: state, params: params,
                            distributions: distributions, userAttributes: userAttributes,
                            systemAttributes: systemAttributes)
        nextTrialID += 1
        studies[s].trials.append(t)
        if state == .waiting { studies[s].waiting.append(number) }
        trialIndex[t.id] = (s, number)
        return t
    }

    public func enqueueTrial(studyID: Int64, params: [String: Double], distributions: [String: Distribution],
                             systemAttributes: [String: String]) throws -> FrozenTrial {
        try locked {
            let s = try studyIndex(studyID)
            return newTrial(study: s, state: .waiting, params: params, distributions: distributions,
                            systemAttributes: systemAttributes)
        }
    }

    public func startTrial(studyID: Int64, now: Double, stale: StaleTrialPolicy?) throws
        -> (trial: FrozenTrial, failedStale: [Int]) {
        try locked {
            let s = try studyIndex(studyID)
            let failed = stale.map { failStaleLocked(study: s, now: now, policy: $0) } ?? []
            if studies[s].waiting.isEmpty { _ = newTrial(study: s, state: .waiting) }
            let number = studies[s].waiting.removeFirst()
            studies[s].running.insert(number)
            studies[s].trials[number].state = .running
            studies[s].trials[number].startedAt = Date(timeIntervalSince1970: now)
            if stale != nil { heartbeats[studies[s].trials[number].id] = now }
            return (studies[s].trials[number], failed)
        }
    }

    private func failStaleLocked(study s: Int, now: Double, policy: StaleTrialPolicy) -> [Int] {
        var failed: [Int] = []
        for i in studies[s].running.sorted() {
            let t = studies[s].trials[i]
            guard let beat = heartbeats[t.id], now - beat > policy.grace else { continue }
            studies[s].running.remove(i)
            studies[s].trials[i].state = .fail
            studies[s].trials[i].completedAt = Date(timeIntervalSince1970: now)
            heartbeats[t.id] = nil
            failed.append(t.number)
            if let attrs = StaleTrialRetry.attributes(for: t, policy: policy) {
                _ = newTrial(study: s, state: .waiting, params: t.params, distributions: t.distributions,
                             userAttributes: t.userAttributes, systemAttributes: attrs)
            }
        }
        return failed
    }

    public func failStaleTrials(studyID: Int64, now: Double, policy: StaleTrialPolicy) throws -> [Int] {
        try locked { failStaleLocked(study: try studyIndex(studyID), now: now, policy: policy) }
    }

    /// Applies `change` to a RUNNING trial or throws `trialNotRunning`.
    private func mutateRunning(_ trialID: Int64, _ change: (inout FrozenTrial) -> Void) throws -> FrozenTrial {
        try locked {
            guard let (s, n) = trialIndex[trialID] else {
                throw TuneError.storage(path: "memory:", message: "no trial with id \(trialID)")
            }
            let t = studies[s].trials[n]
            guard t.state == .running else {
                throw TuneError.trialNotRunning(study: studies[s].record.name, number: n, state: t.state)
            }
            change(&studies[s].trials[n])
            if studies[s].trials[n].state != .running { studies[s].running.remove(n) }
            return studies[s].trials[n]
        }
    }

    public func setParam(trialID: Int64, name: String, value: Double, distribution: Distribution) throws {
        _ = try mutateRunning(trialID) { $0.params[name] = value; $0.distributions[name] = distribution }
    }

    public func setIntermediateValue(trialID: Int64, step: Int, value: Double) throws {
        _ = try mutateRunning(trialID) { $0.intermediateValues[step] = value }
    }

    public func setTrialAttribute(trialID: Int64, key: String, value: String, system: Bool) throws {
        _ = try mutateRunning(trialID) {
            if system { $0.systemAttributes[key] = value } else { $0.userAttributes[key] = value }
        }
    }

    public func finishTrial(trialID: Int64, state: TrialState, values: [Double]?, now: Double) throws -> FrozenTrial {
        precondition(state.isFinished, "InMemoryStorage.finishTrial: state \(state) is not a finished state")
        let t = try mutateRunning(trialID) {
            $0.state = state; $0.values = values; $0.completedAt = Date(timeIntervalSince1970: now)
        }
        locked { heartbeats[trialID] = nil }
        return t
    }

    public func recordHeartbeat(trialIDs: [Int64], now: Double) throws {
        locked {
            for id in trialIDs {
                if let (s, n) = trialIndex[id], studies[s].trials[n].state == .running { heartbeats[id] = now }
            }
        }
    }

    public func trials(studyID: Int64) throws -> [FrozenTrial] {
        try locked { studies[try studyIndex(studyID)].trials }
    }

    public func trial(studyID: Int64, number: Int) throws -> FrozenTrial? {
        try locked {
            let ts = studies[try studyIndex(studyID)].trials
            return ts.indices.contains(number) ? ts[number] : nil
        }
    }
}
