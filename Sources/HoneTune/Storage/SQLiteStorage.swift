import Foundation

/// The embedded default storage: one SQLite file shared safely by many threads and processes.
///
/// - WAL journal, `synchronous=NORMAL` by default: readers never block the writer; a killed
///   process loses nothing it committed (a power cut may lose the last few commits; pass
///   `durability: .powerLoss` for an fsync per commit).
/// - Every write is one short `BEGIN IMMEDIATE` transaction; trial numbers are claimed inside
///   it (`UNIQUE(study_id, number)` guards them), so workers never duplicate or lose trials.
///   On SQLITE_BUSY a busy handler waits with short jittered sleeps and the transaction is
///   retried with jittered exponential backoff — "database is locked" does not surface.
/// - `trials(studyID:)` caches finished and running trials and fetches only rows changed
///   since the last call (a per-study change counter), so snapshots stay cheap at 1000s of trials.
///
/// ```swift
/// let storage = try SQLiteStorage(path: "tune.db")
/// let study = try Study(name: "resnet", storage: storage)   // resumes if it exists
/// ```
public final class SQLiteStorage: Storage, @unchecked Sendable {
    public let path: String
    private let db: SQLiteDatabase
    private let lock = NSLock()
    private var caches: [Int64: TrialCache] = [:]
    private var distributionCache: [String: Distribution] = [:]

    private struct TrialCache {
        var seq: Int64 = -1
        var trials: [FrozenTrial] = []
    }

    /// How far a commit is guaranteed to survive.
    public enum Durability: String, Sendable {
        /// Survives a crash or kill of any process (`synchronous=NORMAL` in WAL mode: no fsync
        /// per commit). A power cut may lose the last commits, never corrupt the file. Default.
        case processCrash
        /// Survives a power cut too (`synchronous=FULL`: one fsync per commit; much slower).
        case powerLoss
    }

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String, durability: Durability = .processCrash) throws {
        self.path = path
        do {
            db = try SQLiteDatabase(path: path)
            try db.retryingBusy { try db.query("PRAGMA journal_mode=WAL") }
        } catch let e as SQLiteError where !e.isBusy {
            throw TuneError.storage(path: path, message: e.message)
        } catch {
            throw Self.wrap(error, path)
        }
        try wrapping {
            try db.exec(durability == .powerLoss ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL")
            try db.transaction(write: true) {
                try db.exec(SQLiteSchema.create)
                let v = try db.scalarInt("SELECT CAST(value AS INTEGER) FROM hone_meta WHERE key='schema_version'")
                guard v == SQLiteSchema.version else {
                    throw TuneError.storage(path: path, message: "schema version \(v.map(String.init) ?? "none") is not supported (expected \(SQLiteSchema.version))")
                }
            }
        }
    }

    private static func wrap(_ error: any Error, _ path: String) -> any Error {
        if let e = error as? SQLiteError { return TuneError.storage(path: path, message: e.description) }
        return error
    }

    private func wrapping<T>(_ body: () throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        do { return try body() } catch { throw Self.wrap(error, path) }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file.
    public func integrityCheck() throws -> String {
        try wrapping {
            var out: [String] = []
            try db.query("PRAGMA integrity_check") { out.append($0.text(0)) }
            return out.joined(separator: "; ")
        }
    }

    // MARK: studies

    public func loadOrCreateStudy(name: String, directions: [StudyDirection],
                                  attributes: [String: String]) throws -> (study: StudyRecord, created: Bool) {
        try wrapping {
            if let s = try readStudy(name: name) { return (s, false) }
            return try db.transaction(write: true) {
                if let s = try readStudy(name: name) { return (s, false) }
                try db.query("INSERT INTO studies(name, directions, created_at) VALUES (?, ?, ?)",
                             [.text(name), .text(directions.map(\.rawValue).joined(separator: ",")),
                              .double(Date().timeIntervalSince1970)])
                let id = db.lastInsertRowID
                for (k, v) in attributes {
                    try db.query("INSERT INTO study_attrs(study_id, key, value) VALUES (?, ?, ?)", [.int(id), .text(k), .text(v)])
                }
                return (StudyRecord(id: id, name: name, directions: directions, attributes: attributes), true)
            }
        }
    }

    private func readStudies(where clause: String, _ args: [SQLValue]) throws -> [StudyRecord] {
        var out: [StudyRecord] = []
        try db.query("SELECT id, name, directions FROM studies \(clause) ORDER BY id", args) { r in
            let dirs = r.text(2).split(separator: ",").compactMap { StudyDirection(rawValue: String($0)) }
            out.append(StudyRecord(id: r.int(0), name: r.text(1), directions: dirs))
        }
        for i in out.indices {
            try db.query("SELECT key, value FROM study_attrs WHERE study_id = ?", [.int(out[i].id)]) { r in
                out[i].attributes[r.text(0)] = r.text(1)
            }
        }
        return out
    }

    private func readStudy(name: String) throws -> StudyRecord? {
        try readStudies(where: "WHERE name = ?", [.text(name)]).first
    }

    public func study(named name: String) throws -> StudyRecord? {
        try wrapping { try db.transaction(write: false) { try readStudy(name: name) } }
    }

    public func allStudies() throws -> [StudyRecord] {
        try wrapping { try db.transaction(write: false) { try readStudies(where: "", []) } }
    }

    public func setStudyAttribute(studyID: Int64, key: String, value: String) throws {
        try wrapping {
            try db.transaction(write: true) {
                try db.query("INSERT OR REPLACE INTO study_attrs(study_id, key, value) VALUES (?, ?, ?)",
                             [.int(studyID), .text(key), .text(value)])
            }
        }
    }

    // MARK: trial writes

    private func bumpSeq(_ studyID: Int64) throws -> Int64 {
        var seq: Int64 = 0
        try db.query("UPDATE studies SET seq = seq + 1 WHERE id = ? RETURNING seq", [.int(studyID)]) { seq = $0.int(0) }
        return seq
    }

    private func nextNumber(_ studyID: Int64) throws -> Int64 {
        try db.scalarInt("SELECT COALESCE(MAX(number), -1) + 1 FROM trials WHERE study_id = ?", [.int(studyID)]) ?? 0
    }

    private func insertTrial(studyID: Int64, state: TrialState, params: [String: Double],
                             distributions: [String: Distribution], userAttributes: [String: String],
                             systemAttributes: [String: String]) throws -> Int64 {
        let seq = try bumpSeq(studyID)
        let number = try nextNumber(studyID)
        try db.query("INSERT INTO trials(study_id, number, state, seq) VALUES (?, ?, ?, ?)",
                     [.int(studyID), .int(number), .text(state.rawValue), .int(seq)])
        let id = db.lastInsertRowID
        for (k, v) in params {
            guard let d = distributions[k] else { continue }
            try db.query("INSERT INTO trial_params(trial_id, name, value, distribution) VALUES (?, ?, ?, ?)",
                         [.int(id), .text(k), .double(v), .text(Self.encode(d))])
        }
        for (k, v) in userAttributes { try insertAttr(id, k, v, system: false) }
        for (k, v) in systemAttributes { try insertAttr(id, k, v, system: true) }
        return id
    }

    private func insertAttr(_ trialID: Int64, _ key: String, _ value: String, system: Bool) throws {
        try db.query("INSERT OR REPLACE INTO trial_attrs(trial_id, system, key, value) VALUES (?, ?, ?, ?)",
                     [.int(trialID), .int(system ? 1 : 0), .text(key), .text(value)])
    }

    public func enqueueTrial(studyID: Int64, params: [String: Double], distributions: [String: Distribution],
                             systemAttributes: [String: String]) throws -> FrozenTrial {
        try wrapping {
            try db.transaction(write: true) {
                let id = try insertTrial(studyID: studyID, state: .waiting, params: params, distributions: distributions,
                                         userAttributes: [:], systemAttributes: systemAttributes)
                return try readTrial(id: id)!
            }
        }
    }

    public func startTrial(studyID: Int64, now: Double, stale: StaleTrialPolicy?) throws
        -> (trial: FrozenTrial, failedStale: [Int]) {
        try wrapping {
            try db.transaction(write: true) {
                let failed = try stale.map { try failStaleLocked(studyID: studyID, now: now, policy: $0) } ?? []
                var waiting: Int64?
                try db.query("SELECT id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1",
                             [.int(studyID)]) { waiting = $0.int(0) }
                let id = try waiting ?? insertTrial(studyID: studyID, state: .waiting, params: [:], distributions: [:],
                                                    userAttributes: [:], systemAttributes: [:])
                let seq = try bumpSeq(studyID)
                try db.query("UPDATE trials SET state = 'RUNNING', started_at = ?, heartbeat_at = ?, seq = ? WHERE id = ?",
                             [.double(now), stale == nil ? .null : .double(now), .int(seq), .int(id)])
                return (try readTrial(id: id)!, failed)
            }
        }
    }

    private func failStaleLocked(studyID: Int64, now: Double, policy: StaleTrialPolicy) throws -> [Int] {
        var ids: [Int64] = []
        try db.query("""
            SELECT id FROM trials WHERE study_id = ? AND state = 'RUNNING'
            AND heartbeat_at IS NOT NULL AND heartbeat_at < ? ORDER BY number
            """, [.int(studyID), .double(now - policy.grace)]) { ids.append($0.int(0)) }
        var failed: [Int] = []
        for id in ids {
            guard let t = try readTrial(id: id) else { continue }
            let seq = try bumpSeq(studyID)
            try db.query("UPDATE trials SET state = 'FAIL', completed_at = ?, heartbeat_at = NULL, seq = ? WHERE id = ?",
                         [.double(now), .int(seq), .int(id)])
            failed.append(t.number)
            if let attrs = StaleTrialRetry.attributes(for: t, policy: policy) {
                _ = try insertTrial(studyID: studyID, state: .waiting, params: t.params, distributions: t.distributions,
                                    userAttributes: t.userAttributes, systemAttributes: attrs)
            }
        }
        return failed
    }

    public func failStaleTrials(studyID: Int64, now: Double, policy: StaleTrialPolicy) throws -> [Int] {
        try wrapping { try db.transaction(write: true) { try failStaleLocked(studyID: studyID, now: now, policy: policy) } }
    }

    /// Checks that the trial is RUNNING, runs `change`, bumps the study's change counter.
    private func mutateRunning(_ trialID: Int64, _ change: () throws -> Void) throws {
        try wrapping {
            try db.transaction(write: true) {
                var found: (study: Int64, number: Int, state: String)?
                try db.query("SELECT study_id, number, state FROM trials WHERE id = ?", [.int(trialID)]) {
                    found = ($0.int(0), Int($0.int(1)), $0.text(2))
                }
                guard let found else { throw TuneError.storage(path: path, message: "no trial with id \(trialID)") }
                guard found.state == TrialState.running.rawValue else {
                    let name = try db.scalarText("SELECT name FROM studies WHERE id = ?", [.int(found.study)]) ?? "?"
                    throw TuneError.trialNotRunning(study: name, number: found.number,
                                                    state: TrialState(rawValue: found.state) ?? .fail)
                }
                try change()
                let seq = try bumpSeq(found.study)
                try db.query("UPDATE trials SET seq = ? WHERE id = ?", [.int(seq), .int(trialID)])
            }
        }
    }

    public func setParam(trialID: Int64, name: String, value: Double, distribution: Distribution) throws {
        try mutateRunning(trialID) {
            try db.query("INSERT OR REPLACE INTO trial_params(trial_id, name, value, distribution) VALUES (?, ?, ?, ?)",
                         [.int(trialID), .text(name), .double(value), .text(Self.encode(distribution))])
        }
    }

    public func setIntermediateValue(trialID: Int64, step: Int, value: Double) throws {
        try mutateRunning(trialID) {
            try db.query("INSERT OR REPLACE INTO trial_intermediate(trial_id, step, value) VALUES (?, ?, ?)",
                         [.int(trialID), .int(Int64(step)), value.isNaN ? .null : .double(value)])
        }
    }

    public func setTrialAttribute(trialID: Int64, key: String, value: String, system: Bool) throws {
        try mutateRunning(trialID) { try insertAttr(trialID, key, value, system: system) }
    }

    public func finishTrial(trialID: Int64, state: TrialState, values: [Double]?, now: Double) throws -> FrozenTrial {
        precondition(state.isFinished, "SQLiteStorage.finishTrial: state \(state) is not a finished state")
        try mutateRunning(trialID) {
            let text: SQLValue = values.map { .text($0.map { "\($0)" }.joined(separator: " ")) } ?? .null
            try db.query("UPDATE trials SET state = ?, values_text = ?, completed_at = ?, heartbeat_at = NULL WHERE id = ?",
                         [.text(state.rawValue), text, .double(now), .int(trialID)])
        }
        return try wrapping { try db.transaction(write: false) { try readTrial(id: trialID)! } }
    }

    public func recordHeartbeat(trialIDs: [Int64], now: Double) throws {
        try wrapping {
            try db.transaction(write: true) {
                for id in trialIDs {
                    try db.query("UPDATE trials SET heartbeat_at = ? WHERE id = ? AND state = 'RUNNING'",
                                 [.double(now), .int(id)])
                }
            }
        }
    }

    // MARK: reads

    public func trials(studyID: Int64) throws -> [FrozenTrial] {
        try wrapping {
            try db.transaction(write: false) {
                var cache = caches[studyID] ?? TrialCache()
                guard let seq = try db.scalarInt("SELECT seq FROM studies WHERE id = ?", [.int(studyID)]) else {
                    throw TuneError.storage(path: path, message: "no study with id \(studyID)")
                }
                if seq == cache.seq { return cache.trials }
                let changed = try readTrials(where: "study_id = ? AND seq > ?", [.int(studyID), .int(cache.seq)])
                caches[studyID] = nil   // drop our reference so the array below is patched in place
                for t in changed {
                    if t.number < cache.trials.count {
                        cache.trials[t.number] = t
                    } else {
                        while cache.trials.count < t.number {   // filled by a later row of this batch
                            cache.trials.append(FrozenTrial(id: -1, number: cache.trials.count, state: .waiting))
                        }
                        cache.trials.append(t)
                    }
                }
                cache.seq = seq
                caches[studyID] = cache
                return cache.trials
            }
        }
    }

    public func trial(studyID: Int64, number: Int) throws -> FrozenTrial? {
        try wrapping {
            try db.transaction(write: false) {
                try readTrials(where: "study_id = ? AND number = ?", [.int(studyID), .int(Int64(number))]).first
            }
        }
    }

    private func readTrial(id: Int64) throws -> FrozenTrial? {
        try readTrials(where: "id = ?", [.int(id)]).first
    }

    /// Reads full trials (with params, intermediate values, attributes) matching a WHERE clause
    /// on `trials`, in number order.
    private func readTrials(where clause: String, _ args: [SQLValue]) throws -> [FrozenTrial] {
        var out: [FrozenTrial] = []
        var index: [Int64: Int] = [:]
        try db.query("SELECT id, number, state, values_text, started_at, completed_at FROM trials WHERE \(clause) ORDER BY number", args) { r in
            var t = FrozenTrial(id: r.int(0), number: Int(r.int(1)), state: TrialState(rawValue: r.text(2)) ?? .fail)
            if !r.isNull(3) { t.values = r.text(3).split(separator: " ").map { Double(String($0)) ?? .nan } }
            t.startedAt = r.optionalDouble(4).map { Date(timeIntervalSince1970: $0) }
            t.completedAt = r.optionalDouble(5).map { Date(timeIntervalSince1970: $0) }
            index[t.id] = out.count
            out.append(t)
        }
        if out.isEmpty { return out }
        let sub = "SELECT id FROM trials WHERE \(clause)"
        try db.query("SELECT trial_id, name, value, distribution FROM trial_params WHERE trial_id IN (\(sub))", args) { r in
            guard let i = index[r.int(0)] else { return }
            let name = r.text(1)
            out[i].params[name] = r.double(2)
            out[i].distributions[name] = try decode(r.text(3))
        }
        try db.query("SELECT trial_id, step, value FROM trial_intermediate WHERE trial_id IN (\(sub))", args) { r in
            guard let i = index[r.int(0)] else { return }
            out[i].intermediateValues[Int(r.int(1))] = r.optionalDouble(2) ?? .nan
        }
        try db.query("SELECT trial_id, system, key, value FROM trial_attrs WHERE trial_id IN (\(sub))", args) { r in
            guard let i = index[r.int(0)] else { return }
            if r.int(1) != 0 { out[i].systemAttributes[r.text(2)] = r.text(3) } else { out[i].userAttributes[r.text(2)] = r.text(3) }
        }
        return out
    }

    // MARK: distribution coding

    static func encode(_ d: Distribution) -> String {
        String(decoding: try! JSONEncoder().encode(d), as: UTF8.self)
    }

    private func decode(_ s: String) throws -> Distribution {
        if let d = distributionCache[s] { return d }
        do {
            let d = try JSONDecoder().decode(Distribution.self, from: Data(s.utf8))
            distributionCache[s] = d
            return d
        } catch {
            throw TuneError.storage(path: path, message: "trial_params.distribution is not a valid distribution: \(s)")
        }
    }
}

extension SQLiteDatabase {
    /// The first column of the first row as text, if any.
    func scalarText(_ sql: String, _ args: [SQLValue] = []) throws -> String? {
        var out: String?
        try query(sql, args) { r in if out == nil, !r.isNull(0) { out = r.text(0) } }
        return out
    }
}
