import Foundation
import HoneTune
import PostgresNIO

/// Study storage in a PostgreSQL database, shared by any number of worker processes on any
/// number of machines (the role Optuna's RDB storage plays with PostgreSQL).
///
/// Same contract as ``SQLiteStorage`` (see ``Storage``), with a client/server database's means:
/// - Trial numbers come from a per-study counter (`hone_studies.next_number`) updated under the
///   study row's lock; WAITING trials are claimed under the same lock. Numbers are unique and
///   dense with any number of workers.
/// - Writes to a trial are one statement that re-checks `state = 'RUNNING'` on the row it
///   updates (PostgreSQL re-evaluates the condition on the newest row version), so a write to a
///   trial that another worker has just failed changes nothing and throws
///   ``TuneError/trialNotRunning(study:number:state:)``.
/// - Heartbeats and staleness are judged by the SERVER's clock (`now()`), never the workers'.
/// - Durability: `durability=process` (default, `synchronous_commit=off`) or `power` (an fsync per
///   commit); see ``PostgresURL/Durability``. A clean server restart loses nothing in either.
/// - Round trips: ask ≈ 2, each parameter/report/attribute 1, tell 1, a snapshot of the trials
///   1 (only rows changed since the last snapshot are fetched).
/// - A lost connection is re-opened with backoff and the operation retried for
///   `reconnect_timeout` seconds (URL option, default 60); then the storage stops with a clear
///   ``TuneError/storage(path:message:)`` and marks nothing. A retried ask whose first attempt
///   had committed leaves one orphan RUNNING trial; with heartbeats on it goes stale and is
///   failed (and re-queued with `retry`) like a dead worker's.
///
/// ```swift
/// let storage = try PostgresStorage(url: "postgresql://hone:secret@db.example/studies")
/// let study = try Study(name: "resnet", storage: storage)   // resumes if it exists
/// ```
public final class PostgresStorage: Storage, @unchecked Sendable {
    public let url: PostgresURL
    let session: PostgresSession
    private let cacheLock = NSLock()
    private var caches: [Int64: TrialCache] = [:]
    /// Studies whose cache was refreshed by this process's last claim and not read since: the
    /// next `trials(studyID:)` returns it without a round trip (a snapshot as of the claim).
    private var prefetched: Set<Int64> = []

    private struct TrialCache {
        var seq: Int64 = -1
        var trials: [FrozenTrial] = []
    }

    /// Connects (waiting up to the URL's `reconnect_timeout` for the server) and creates the
    /// schema if the database has none.
    public convenience init(url: String) throws {
        try self.init(url: try PostgresURL(url))
    }

    public init(url: PostgresURL) throws {
        self.url = url
        session = PostgresSession(url: url)
        try session.withRetry { p, _ in
            try p.transaction {
                _ = try p.run([pq("BEGIN"), pqOnce("SELECT pg_advisory_xact_lock($1)", [.int(PostgresSchema.advisoryLock)])]
                              + PostgresSchema.create.map { pqOnce($0) })
                let v = try p.run(pqOnce("SELECT value FROM hone_meta WHERE key = 'schema_version'"))
                let version = try v.first.map { try $0.makeRandomAccess()[0].string() }
                guard version == String(PostgresSchema.version) else {
                    throw TuneError.storage(path: url.redacted, message: "schema version \(version ?? "none") is not supported (expected \(PostgresSchema.version))")
                }
                _ = try p.run(pq("COMMIT"))
            }
        }
    }

    /// Registers `postgresql://` and `postgres://` with ``openStorage(_:)``.
    public static func registerScheme() {
        for scheme in ["postgresql", "postgres"] {
            StorageSchemes.register(scheme) { try PostgresStorage(url: $0) }
        }
    }

    /// Any write through this storage ends the validity of a prefetched snapshot.
    private func invalidatePrefetch() {
        cacheLock.lock(); prefetched.removeAll(); cacheLock.unlock()
    }

    /// Drops the connection; the next call reconnects.
    public func disconnect() { session.close() }

    private var path: String { url.redacted }

    // MARK: studies

    public func loadOrCreateStudy(name: String, directions: [StudyDirection],
                                  attributes: [String: String]) throws -> (study: StudyRecord, created: Bool) {
        try session.withRetry { p, _ in
            if let s = try readStudies(p, where: "name = $1", [.text(name)]).first { return (s, false) }
            let keys = attributes.keys.sorted()
            let r = try p.run(pq("""
                WITH s AS (INSERT INTO hone_studies(name, directions, created_at) VALUES ($1, $2, $3)
                           ON CONFLICT (name) DO NOTHING RETURNING id),
                a AS (INSERT INTO hone_study_attrs(study_id, key, value)
                      SELECT s.id, x.k, x.v FROM s, unnest($4::text[], $5::text[]) AS x(k, v))
                SELECT id FROM s
                """, [.text(name), .text(directions.map(\.rawValue).joined(separator: ",")),
                      .double(Date().timeIntervalSince1970), .texts(keys), .texts(keys.map { attributes[$0]! })]))
            if let row = r.first {
                let id = try row.makeRandomAccess()[0].int64()
                return (StudyRecord(id: id, name: name, directions: directions, attributes: attributes), true)
            }
            // Another worker created it between our read and insert.
            guard let s = try readStudies(p, where: "name = $1", [.text(name)]).first else {
                throw TuneError.storage(path: path, message: "study '\(name)' vanished while being created")
            }
            return (s, false)
        }
    }

    private func readStudies(_ p: Pipeline, where clause: String, _ args: [PGValue]) throws -> [StudyRecord] {
        let r = try p.run([
            pq("SELECT id, name, directions FROM hone_studies WHERE \(clause) ORDER BY id", args),
            pq("SELECT study_id, key, value FROM hone_study_attrs WHERE study_id IN (SELECT id FROM hone_studies WHERE \(clause))", args),
        ])
        var out: [StudyRecord] = []
        var index: [Int64: Int] = [:]
        for row in r[0] {
            let c = row.makeRandomAccess()
            let dirs = try c[2].string().split(separator: ",").compactMap { StudyDirection(rawValue: String($0)) }
            let id = try c[0].int64()
            index[id] = out.count
            out.append(StudyRecord(id: id, name: try c[1].string(), directions: dirs))
        }
        for row in r[1] {
            let c = row.makeRandomAccess()
            guard let i = index[try c[0].int64()] else { continue }
            out[i].attributes[try c[1].string()] = try c[2].string()
        }
        return out
    }

    public func study(named name: String) throws -> StudyRecord? {
        try session.withRetry { p, _ in try readStudies(p, where: "name = $1", [.text(name)]).first }
    }

    public func allStudies() throws -> [StudyRecord] {
        try session.withRetry { p, _ in try readStudies(p, where: "TRUE", []) }
    }

    public func setStudyAttribute(studyID: Int64, key: String, value: String) throws {
        try session.withRetry { p, _ in
            _ = try p.run(pq("""
                INSERT INTO hone_study_attrs(study_id, key, value) VALUES ($1, $2, $3)
                ON CONFLICT (study_id, key) DO UPDATE SET value = EXCLUDED.value
                """, [.int(studyID), .text(key), .text(value)]))
        }
    }

    // MARK: trial creation

    /// One statement that claims the next number, inserts the trial with its parameters and
    /// attributes, and returns its id and number.
    private func insertTrial(studyID: Int64, state: TrialState, startedAt: Double?, heartbeat: Bool,
                             params: [String: Double], distributions: [String: Distribution],
                             userAttributes: [String: String], systemAttributes: [String: String],
                             onlyIfNothingToClaim grace: Double?? = nil) -> SQL {
        // With `onlyIfNothingToClaim`, the trial is created only when the study has no WAITING
        // trial and (for a non-nil grace) no stale RUNNING one; else nothing is inserted.
        var condition = ""
        var extra: [PGValue] = []
        if let grace {
            condition = " AND NOT EXISTS (SELECT 1 FROM hone_trials WHERE study_id = $1 AND state = 'WAITING')"
            if let grace {
                condition += " AND NOT EXISTS (SELECT 1 FROM hone_trials WHERE study_id = $1 AND state = 'RUNNING'"
                    + " AND heartbeat_at < extract(epoch from now()) - $11)"
                extra = [.double(grace)]
            }
        }
        let names = params.keys.sorted().filter { distributions[$0] != nil }
        let attrs = userAttributes.sorted { $0.key < $1.key }.map { (false, $0.key, $0.value) }
            + systemAttributes.sorted { $0.key < $1.key }.map { (true, $0.key, $0.value) }
        return pq("""
            WITH n AS (UPDATE hone_studies SET next_number = next_number + 1, seq = seq + 1 WHERE id = $1\(condition)
                       RETURNING next_number - 1 AS number, seq),
            t AS (INSERT INTO hone_trials(study_id, number, state, started_at, heartbeat_at, seq)
                  SELECT $1, number, $2, $3, CASE WHEN $4 THEN extract(epoch from now()) END, seq FROM n
                  RETURNING id, number),
            p AS (INSERT INTO hone_trial_params(trial_id, name, value, distribution)
                  SELECT t.id, x.n, x.v, x.d FROM t, unnest($5::text[], $6::float8[], $7::text[]) AS x(n, v, d)),
            a AS (INSERT INTO hone_trial_attrs(trial_id, system, key, value)
                  SELECT t.id, x.s, x.k, x.v FROM t, unnest($8::boolean[], $9::text[], $10::text[]) AS x(s, k, v))
            SELECT id, number FROM t
            """, [.int(studyID), .text(state.rawValue), .optDouble(startedAt), .bool(heartbeat),
                  .texts(names), .doubles(names.map { params[$0]! }), .texts(names.map { Self.encode(distributions[$0]!) }),
                  .bools(attrs.map(\.0)), .texts(attrs.map(\.1)), .texts(attrs.map(\.2))] + extra)
    }

    public func enqueueTrial(studyID: Int64, params: [String: Double], distributions: [String: Distribution],
                             systemAttributes: [String: String]) throws -> FrozenTrial {
        invalidatePrefetch()
        return try session.withRetry { p, _ in
            let r = try p.run(insertTrial(studyID: studyID, state: .waiting, startedAt: nil, heartbeat: false,
                                          params: params, distributions: distributions,
                                          userAttributes: [:], systemAttributes: systemAttributes))
            guard let row = r.first else { throw TuneError.storage(path: path, message: "no study with id \(studyID)") }
            let id = try row.makeRandomAccess()[0].int64()
            return try readTrials(p, where: "id = $1", [.int(id)]).first!
        }
    }

    public func startTrial(studyID: Int64, now: Double, stale: StaleTrialPolicy?) throws
        -> (trial: FrozenTrial, failedStale: [Int]) {
        let waitingSQL = pq("SELECT id FROM hone_trials WHERE study_id = $1 AND state = 'WAITING' ORDER BY number LIMIT 1",
                            [.int(studyID)])
        invalidatePrefetch()
        if let fast = try startNewTrialFast(studyID: studyID, now: now, stale: stale) { return (fast, []) }
        return try session.withRetry { p, _ in
            try p.transaction {
                var first = [pq("BEGIN"), pq("UPDATE hone_studies SET seq = seq + 1 WHERE id = $1 RETURNING seq", [.int(studyID)]),
                             waitingSQL]
                if let stale {
                    first.append(pq("""
                        SELECT id FROM hone_trials WHERE study_id = $1 AND state = 'RUNNING'
                        AND heartbeat_at < extract(epoch from now()) - $2 ORDER BY number
                        """, [.int(studyID), .double(stale.grace)]))
                }
                let r = try p.run(first)
                guard let seqRow = r[1].first else { throw TuneError.storage(path: path, message: "no study with id \(studyID)") }
                let seq = try seqRow.makeRandomAccess()[0].int64()
                var waiting = try r[2].first.map { try $0.makeRandomAccess()[0].int64() }
                var failed: [Int] = []
                if let stale, !r[3].isEmpty {
                    let ids = try r[3].map { try $0.makeRandomAccess()[0].int64() }
                    failed = try failStaleLocked(p, studyID: studyID, ids: ids, seq: seq, now: now, policy: stale)
                    waiting = try p.run(waitingSQL).first.map { try $0.makeRandomAccess()[0].int64() }
                }
                if let waiting {
                    let r2 = try p.run([pq("""
                        UPDATE hone_trials SET state = 'RUNNING', started_at = $2, seq = $3,
                        heartbeat_at = CASE WHEN $4 THEN extract(epoch from now()) END WHERE id = $1
                        """, [.int(waiting), .double(now), .int(seq), .bool(stale != nil)])]
                        + Self.trialQueries(where: "id = $1", [.int(waiting)]) + [pq("COMMIT")])
                    return (try Self.decodeTrials(r2[1...4], path: path)[0], failed)
                }
                let r2 = try p.run([insertTrial(studyID: studyID, state: .running, startedAt: now, heartbeat: stale != nil,
                                                params: [:], distributions: [:], userAttributes: [:], systemAttributes: [:]),
                                    pq("COMMIT")])
                let c = r2[0][0].makeRandomAccess()
                let t = FrozenTrial(id: try c[0].int64(), number: Int(try c[1].int64()),
                                    state: .running, startedAt: Date(timeIntervalSince1970: now))
                return (t, failed)
            }
        }
    }

    /// The common case in one round trip: lock the study, create a new RUNNING trial if there is
    /// nothing to claim (no WAITING, no stale trial), read the trials changed since this
    /// process's last snapshot, commit. The snapshot is kept for the next `trials(studyID:)`
    /// call (the sampler's, right after the claim), which then needs no round trip. Returns nil
    /// (and has changed nothing but the change counter) when there was something to claim.
    private func startNewTrialFast(studyID: Int64, now: Double, stale: StaleTrialPolicy?) throws -> FrozenTrial? {
        cacheLock.lock(); defer { cacheLock.unlock() }
        let cachedSeq = caches[studyID]?.seq ?? -1
        let result: (FrozenTrial, Int64, [FrozenTrial])? = try session.withRetry { p, _ in
            try p.transaction {
                let r = try p.run([pq("BEGIN"),
                                   pq("UPDATE hone_studies SET seq = seq + 1 WHERE id = $1 RETURNING seq", [.int(studyID)]),
                                   insertTrial(studyID: studyID, state: .running, startedAt: now, heartbeat: stale != nil,
                                               params: [:], distributions: [:], userAttributes: [:], systemAttributes: [:],
                                               onlyIfNothingToClaim: .some(stale?.grace)),
                                   pq("SELECT seq FROM hone_studies WHERE id = $1", [.int(studyID)])]
                                  + Self.trialQueries(where: "study_id = $1 AND seq > $2", [.int(studyID), .int(cachedSeq)])
                                  + [pq("COMMIT")])
                guard !r[1].isEmpty else { throw TuneError.storage(path: path, message: "no study with id \(studyID)") }
                guard let row = r[2].first else { return nil }
                let c = row.makeRandomAccess()
                let t = FrozenTrial(id: try c[0].int64(), number: Int(try c[1].int64()),
                                    state: .running, startedAt: Date(timeIntervalSince1970: now))
                let seq = try r[3][0].makeRandomAccess()[0].int64()
                return (t, seq, try Self.decodeTrials(r[4...7], path: path))
            }
        }
        guard let (trial, seq, changed) = result else { return nil }
        applyLocked(studyID: studyID, seq: seq, changed: changed)
        prefetched.insert(studyID)
        return trial
    }

    /// Inside a transaction that holds the study lock: fails the trials `ids` that are still
    /// stale (re-checked on the newest row), and re-enqueues them per `policy`.
    private func failStaleLocked(_ p: Pipeline, studyID: Int64, ids: [Int64], seq: Int64, now: Double,
                                 policy: StaleTrialPolicy) throws -> [Int] {
        let r = try p.run([pq("""
            UPDATE hone_trials SET state = 'FAIL', completed_at = $2, heartbeat_at = NULL, seq = $3
            WHERE id = ANY($1) AND state = 'RUNNING' AND heartbeat_at < extract(epoch from now()) - $4
            RETURNING id
            """, [.ints(ids), .double(now), .int(seq), .double(policy.grace)])])
        let failedIDs = try r[0].map { try $0.makeRandomAccess()[0].int64() }
        if failedIDs.isEmpty { return [] }
        let trials = try readTrialsInTransaction(p, where: "id = ANY($1)", [.ints(failedIDs)])
        var retries: [SQL] = []
        for t in trials {
            guard let attrs = policy.retryAttributes(for: t) else { continue }
            retries.append(insertTrial(studyID: studyID, state: .waiting, startedAt: nil, heartbeat: false,
                                       params: t.params, distributions: t.distributions,
                                       userAttributes: t.userAttributes, systemAttributes: attrs))
        }
        if !retries.isEmpty { _ = try p.run(retries) }
        return trials.map(\.number)
    }

    public func failStaleTrials(studyID: Int64, now: Double, policy: StaleTrialPolicy) throws -> [Int] {
        invalidatePrefetch()
        return try session.withRetry { p, _ in
            try p.transaction {
                let r = try p.run([pq("BEGIN"), pq("UPDATE hone_studies SET seq = seq + 1 WHERE id = $1 RETURNING seq", [.int(studyID)]),
                                   pq("""
                                      SELECT id FROM hone_trials WHERE study_id = $1 AND state = 'RUNNING'
                                      AND heartbeat_at < extract(epoch from now()) - $2 ORDER BY number
                                      """, [.int(studyID), .double(policy.grace)])])
                guard let seqRow = r[1].first else { throw TuneError.storage(path: path, message: "no study with id \(studyID)") }
                let seq = try seqRow.makeRandomAccess()[0].int64()
                let ids = try r[2].map { try $0.makeRandomAccess()[0].int64() }
                let failed = ids.isEmpty ? [] : try failStaleLocked(p, studyID: studyID, ids: ids, seq: seq, now: now, policy: policy)
                _ = try p.run(pq("COMMIT"))
                return failed
            }
        }
    }

    // MARK: writes to a running trial

    /// Runs one statement that bumps the study's change counter, re-checks that the trial is
    /// RUNNING and applies `write` (a data-modifying CTE over `t`, the updated trial row).
    /// Returns nothing when applied; throws `trialNotRunning` when the trial is not RUNNING.
    private func mutateRunning(_ p: Pipeline, trialID: Int64, set: String = "", write: String?,
                               _ args: [PGValue], extra: [SQL] = []) throws -> [Rows] {
        let w = write.map { ", w AS (\($0))" } ?? ""
        let r = try p.run([pq("""
            WITH s AS (UPDATE hone_studies SET seq = seq + 1
                       WHERE id = (SELECT study_id FROM hone_trials WHERE id = $1) RETURNING seq),
            t AS (UPDATE hone_trials SET seq = (SELECT seq FROM s)\(set) WHERE id = $1 AND state = 'RUNNING' RETURNING id)\(w)
            SELECT count(*) FROM t
            """, [.int(trialID)] + args),
            pq("SELECT t.number, t.state, s.name FROM hone_trials t JOIN hone_studies s ON s.id = t.study_id WHERE t.id = $1",
               [.int(trialID)])] + extra)
        if try r[0][0].makeRandomAccess()[0].int64() == 1 { return Array(r[2...]) }
        guard let row = r[1].first else { throw TuneError.storage(path: path, message: "no trial with id \(trialID)") }
        let c = row.makeRandomAccess()
        throw TuneError.trialNotRunning(study: try c[2].string(), number: Int(try c[0].int64()),
                                        state: TrialState(rawValue: try c[1].string()) ?? .fail)
    }

    public func setParam(trialID: Int64, name: String, value: Double, distribution: Distribution) throws {
        invalidatePrefetch()
        try session.withRetry { p, _ in
            _ = try mutateRunning(p, trialID: trialID, write: """
                INSERT INTO hone_trial_params(trial_id, name, value, distribution) SELECT id, $2, $3, $4 FROM t
                ON CONFLICT (trial_id, name) DO UPDATE SET value = EXCLUDED.value, distribution = EXCLUDED.distribution
                """, [.text(name), .double(value), .text(Self.encode(distribution))])
        }
    }

    public func setIntermediateValue(trialID: Int64, step: Int, value: Double) throws {
        invalidatePrefetch()
        try session.withRetry { p, _ in
            _ = try mutateRunning(p, trialID: trialID, write: """
                INSERT INTO hone_trial_intermediate(trial_id, step, value) SELECT id, $2, $3 FROM t
                ON CONFLICT (trial_id, step) DO UPDATE SET value = EXCLUDED.value
                """, [.int(Int64(step)), .double(value)])
        }
    }

    public func setTrialAttribute(trialID: Int64, key: String, value: String, system: Bool) throws {
        invalidatePrefetch()
        try session.withRetry { p, _ in
            _ = try mutateRunning(p, trialID: trialID, write: """
                INSERT INTO hone_trial_attrs(trial_id, system, key, value) SELECT id, $2, $3, $4 FROM t
                ON CONFLICT (trial_id, system, key) DO UPDATE SET value = EXCLUDED.value
                """, [.bool(system), .text(key), .text(value)])
        }
    }

    public func finishTrial(trialID: Int64, state: TrialState, values: [Double]?, now: Double) throws -> FrozenTrial {
        precondition(state.isFinished, "PostgresStorage.finishTrial: state \(state) is not a finished state")
        let text: PGValue = .optText(values.map { $0.map { "\($0)" }.joined(separator: " ") })
        invalidatePrefetch()
        return try session.withRetry { p, retried in
            do {
                let r = try mutateRunning(p, trialID: trialID,
                                          set: ", state = $2, values_text = $3, completed_at = $4, heartbeat_at = NULL",
                                          write: nil, [.text(state.rawValue), text, .double(now)],
                                          extra: Self.trialQueries(where: "id = $1", [.int(trialID)]))
                return try Self.decodeTrials(r[0...3], path: path)[0]
            } catch TuneError.trialNotRunning(let s, let n, let st) where retried && st == state {
                // Our earlier attempt committed before the connection dropped: that is this finish.
                _ = (s, n)
                return try readTrials(p, where: "id = $1", [.int(trialID)])[0]
            }
        }
    }

    public func recordHeartbeat(trialIDs: [Int64], now: Double) throws {
        if trialIDs.isEmpty { return }
        try session.withRetry { p, _ in
            _ = try p.run(pq("""
                UPDATE hone_trials SET heartbeat_at = extract(epoch from now())
                WHERE id = ANY($1) AND state = 'RUNNING'
                """, [.ints(trialIDs.sorted())]))
        }
    }

    // MARK: reads

    public func trials(studyID: Int64) throws -> [FrozenTrial] {
        cacheLock.lock(); defer { cacheLock.unlock() }
        if prefetched.remove(studyID) != nil, let cache = caches[studyID] { return cache.trials }
        let cachedSeq = caches[studyID]?.seq ?? -1
        let (seq, changed): (Int64, [FrozenTrial]) = try session.withRetry { p, _ in
            let r = try p.run([pq("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
                               pq("SELECT seq FROM hone_studies WHERE id = $1", [.int(studyID)])]
                              + Self.trialQueries(where: "study_id = $1 AND seq > $2", [.int(studyID), .int(cachedSeq)])
                              + [pq("COMMIT")])
            guard let row = r[1].first else { throw TuneError.storage(path: path, message: "no study with id \(studyID)") }
            return (try row.makeRandomAccess()[0].int64(), try Self.decodeTrials(r[2...5], path: path))
        }
        applyLocked(studyID: studyID, seq: seq, changed: changed)
        return caches[studyID]!.trials
    }

    /// Patches the cached trial list of a study with rows changed up to `seq` (cache lock held).
    private func applyLocked(studyID: Int64, seq: Int64, changed: [FrozenTrial]) {
        var cache = caches[studyID] ?? TrialCache()
        if seq == cache.seq { return }
        caches[studyID] = nil   // drop our reference so the array below is patched in place
        for t in changed {
            if t.number < cache.trials.count {
                cache.trials[t.number] = t
            } else {
                while cache.trials.count < t.number {
                    cache.trials.append(FrozenTrial(id: -1, number: cache.trials.count, state: .waiting))
                }
                cache.trials.append(t)
            }
        }
        cache.seq = seq
        caches[studyID] = cache
    }

    public func trial(studyID: Int64, number: Int) throws -> FrozenTrial? {
        try session.withRetry { p, _ in
            try readTrials(p, where: "study_id = $1 AND number = $2", [.int(studyID), .int(Int64(number))]).first
        }
    }

    /// Reads full trials in one consistent snapshot (a read-only transaction of its own).
    private func readTrials(_ p: Pipeline, where clause: String, _ args: [PGValue]) throws -> [FrozenTrial] {
        let r = try p.run([pq("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")] + Self.trialQueries(where: clause, args)
                          + [pq("COMMIT")])
        return try Self.decodeTrials(r[1...4], path: path)
    }

    /// Reads full trials inside the caller's transaction.
    private func readTrialsInTransaction(_ p: Pipeline, where clause: String, _ args: [PGValue]) throws -> [FrozenTrial] {
        try Self.decodeTrials(p.run(Self.trialQueries(where: clause, args))[0...3], path: path)
    }

    /// The four queries that read full trials matching a WHERE clause on `hone_trials`.
    static func trialQueries(where clause: String, _ args: [PGValue]) -> [SQL] {
        let sub = "SELECT id FROM hone_trials WHERE \(clause)"
        return [
            pq("SELECT id, number, state, values_text, started_at, completed_at FROM hone_trials WHERE \(clause) ORDER BY number", args),
            pq("SELECT trial_id, name, value, distribution FROM hone_trial_params WHERE trial_id IN (\(sub))", args),
            pq("SELECT trial_id, step, value FROM hone_trial_intermediate WHERE trial_id IN (\(sub))", args),
            pq("SELECT trial_id, system, key, value FROM hone_trial_attrs WHERE trial_id IN (\(sub))", args),
        ]
    }

    static func decodeTrials(_ r: ArraySlice<Rows>, path: String) throws -> [FrozenTrial] {
        let base = r.startIndex
        var out: [FrozenTrial] = []
        var index: [Int64: Int] = [:]
        for row in r[base] {
            let c = row.makeRandomAccess()
            var t = FrozenTrial(id: try c[0].int64(), number: Int(try c[1].int64()),
                                state: TrialState(rawValue: try c[2].string()) ?? .fail)
            if let v = try c[3].optionalString() {
                t.values = v.split(separator: " ").map { Double(String($0)) ?? .nan }
            }
            t.startedAt = try c[4].optionalDouble().map { Date(timeIntervalSince1970: $0) }
            t.completedAt = try c[5].optionalDouble().map { Date(timeIntervalSince1970: $0) }
            index[t.id] = out.count
            out.append(t)
        }
        if out.isEmpty { return out }
        var decoded: [String: Distribution] = [:]
        for row in r[base + 1] {
            let c = row.makeRandomAccess()
            guard let i = index[try c[0].int64()] else { continue }
            let name = try c[1].string()
            let text = try c[3].string()
            let d: Distribution
            if let known = decoded[text] { d = known } else {
                guard let parsed = try? JSONDecoder().decode(Distribution.self, from: Data(text.utf8)) else {
                    throw TuneError.storage(path: path, message: "hone_trial_params.distribution is not a valid distribution: \(text)")
                }
                decoded[text] = parsed; d = parsed
            }
            out[i].params[name] = try c[2].double()
            out[i].distributions[name] = d
        }
        for row in r[base + 2] {
            let c = row.makeRandomAccess()
            guard let i = index[try c[0].int64()] else { continue }
            out[i].intermediateValues[Int(try c[1].int64())] = try c[2].double()
        }
        for row in r[base + 3] {
            let c = row.makeRandomAccess()
            guard let i = index[try c[0].int64()] else { continue }
            let key = try c[2].string(), value = try c[3].string()
            if try c[1].bool() { out[i].systemAttributes[key] = value } else { out[i].userAttributes[key] = value }
        }
        return out
    }

    static func encode(_ d: Distribution) -> String {
        String(decoding: try! JSONEncoder().encode(d), as: UTF8.self)
    }
}
