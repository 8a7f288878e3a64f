import Foundation

/// A stored study: its id, name, directions and free-form attributes (the CLI keeps the
/// sampler name and seed there).
public struct StudyRecord: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var directions: [StudyDirection]
    public var attributes: [String: String]

    public init(id: Int64, name: String, directions: [StudyDirection], attributes: [String: String] = [:]) {
        self.id = id; self.name = name; self.directions = directions; self.attributes = attributes
    }
}

/// What to do with RUNNING trials whose worker stopped sending heartbeats.
///
/// A trial is *stale* when its last heartbeat is older than `grace` seconds. Stale trials are
/// marked FAIL; with `retry`, each is re-enqueued as a WAITING trial with the same parameters
/// and the system attributes `retried_from` (the failed trial's number) and `retry_count`,
/// up to `maxRetries` times along one chain.
public struct StaleTrialPolicy: Sendable, Hashable {
    public var grace: Double
    public var retry: Bool
    public var maxRetries: Int
    public init(grace: Double, retry: Bool, maxRetries: Int = 3) {
        self.grace = grace; self.retry = retry; self.maxRetries = maxRetries
    }
}

/// Persists studies and trials. One protocol, several backends: ``InMemoryStorage``,
/// ``SQLiteStorage``; the contract is written so that a client/server database (PostgreSQL)
/// can implement it with row locks instead of SQLite's database lock.
///
/// Contract:
/// - Every method is atomic: it either fully applies or throws and changes nothing.
/// - `startTrial` claims the next trial atomically: it first fails stale RUNNING trials
///   (per the policy), then turns the oldest WAITING trial into RUNNING, or creates a new
///   RUNNING trial whose number is one more than the study's largest; numbers are unique and
///   dense even with many processes.
/// - Writes to a trial (params, intermediate values, attributes, finish) succeed only while
///   it is RUNNING; otherwise they throw ``TuneError/trialNotRunning(study:number:state:)``
///   and change nothing (a compare-and-swap on the state).
/// - `trials(studyID:)` returns every trial of the study in number order; implementations
///   should make repeated calls cheap (only fetch what changed).
/// - Times are seconds since 1970 taken from the calling process's clock.
public protocol Storage: Sendable {
    /// Loads the study called `name`, or creates it with `directions` and `attributes`.
    /// Returns whether it was created. An existing study is returned unchanged.
    func loadOrCreateStudy(name: String, directions: [StudyDirection],
                           attributes: [String: String]) throws -> (study: StudyRecord, created: Bool)
    /// The study called `name`, if stored.
    func study(named name: String) throws -> StudyRecord?
    /// All studies, by id.
    func allStudies() throws -> [StudyRecord]
    /// Sets one study attribute.
    func setStudyAttribute(studyID: Int64, key: String, value: String) throws

    /// Adds a WAITING trial with pre-set parameters and system attributes; returns it.
    func enqueueTrial(studyID: Int64, params: [String: Double], distributions: [String: Distribution],
                      systemAttributes: [String: String]) throws -> FrozenTrial
    /// Claims a trial (see the contract above) and returns it RUNNING, plus the numbers of the
    /// stale trials it failed on the way. With a `stale` policy the new trial's heartbeat is set
    /// to `now`; without one it has no heartbeat and never goes stale (until one is recorded).
    func startTrial(studyID: Int64, now: Double, stale: StaleTrialPolicy?) throws
        -> (trial: FrozenTrial, failedStale: [Int])
    /// Records a parameter of a RUNNING trial.
    func setParam(trialID: Int64, name: String, value: Double, distribution: Distribution) throws
    /// Records an intermediate value of a RUNNING trial (a later report at the same step replaces it).
    func setIntermediateValue(trialID: Int64, step: Int, value: Double) throws
    /// Sets a user (`system == false`) or system attribute of a RUNNING trial.
    func setTrialAttribute(trialID: Int64, key: String, value: String, system: Bool) throws
    /// Moves a RUNNING trial to a finished state with its values; returns the finished trial.
    func finishTrial(trialID: Int64, state: TrialState, values: [Double]?, now: Double) throws -> FrozenTrial
    /// Sets the heartbeat of RUNNING trials to `now` (ignores the others); a trial without a
    /// heartbeat gets one, and from then on can go stale.
    func recordHeartbeat(trialIDs: [Int64], now: Double) throws
    /// Fails stale RUNNING trials of the study now, per `policy`; returns their numbers.
    func failStaleTrials(studyID: Int64, now: Double, policy: StaleTrialPolicy) throws -> [Int]

    /// Every trial of the study, in number order.
    func trials(studyID: Int64) throws -> [FrozenTrial]
    /// One trial by number, fresh from storage.
    func trial(studyID: Int64, number: Int) throws -> FrozenTrial?
}

/// Opens a storage from a URL: `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`
/// (SQLAlchemy's convention, as Optuna uses), `memory:` for a process-local store, or any
/// scheme registered with ``StorageSchemes/register(_:opener:)`` (the `hone` CLI registers
/// `postgresql://` from HoneTunePostgres).
///
/// ```swift
/// let storage = try openStorage("sqlite:///study.db")
/// ```
public func openStorage(_ url: String) throws -> any Storage {
    if url == "memory:" || url == "memory://" { return InMemoryStorage() }
    if let scheme = url.range(of: "://").map({ String(url[..<$0.lowerBound]).lowercased() }),
       scheme != "sqlite", let opener = StorageSchemes.opener(for: scheme) {
        return try opener(url)
    }
    let prefix = "sqlite:///"
    guard url.hasPrefix(prefix) else {
        let extra = StorageSchemes.registered.map { ", \($0)://…" }.joined()
        throw TuneError.invalidStorageURL(url: url, reason: "expected sqlite:///PATH\(extra) or memory:")
    }
    let path = String(url.dropFirst(prefix.count))
    guard !path.isEmpty else { throw TuneError.invalidStorageURL(url: url, reason: "the file path is empty") }
    return try SQLiteStorage(path: path)
}

/// Storage backends that live outside HoneTune, chosen by URL scheme in ``openStorage(_:)``.
///
/// HoneTune itself knows only `sqlite` and `memory`; a backend module registers its scheme once
/// at start-up, so that HoneTune needs none of its dependencies:
///
/// ```swift
/// StorageSchemes.register("postgresql") { url in try PostgresStorage(url: url) }
/// let storage = try openStorage("postgresql://hone@localhost/studies")
/// ```
public enum StorageSchemes {
    public typealias Opener = @Sendable (String) throws -> any Storage
    private static let table = SchemeTable()

    /// Makes `openStorage` hand URLs starting with `scheme://` to `opener` (the scheme is
    /// matched case-insensitively; registering again replaces the opener).
    public static func register(_ scheme: String, opener: @escaping Opener) {
        table.set(scheme.lowercased(), opener)
    }

    /// The opener for `scheme`, if registered.
    public static func opener(for scheme: String) -> Opener? { table.get(scheme.lowercased()) }

    /// Registered schemes, sorted.
    public static var registered: [String] { table.keys() }
}

private final class SchemeTable: @unchecked Sendable {
    private let lock = NSLock()
    private var openers: [String: StorageSchemes.Opener] = [:]
    func set(_ k: String, _ o: @escaping StorageSchemes.Opener) { lock.lock(); openers[k] = o; lock.unlock() }
    func get(_ k: String) -> StorageSchemes.Opener? { lock.lock(); defer { lock.unlock() }; return openers[k] }
    func keys() -> [String] { lock.lock(); defer { lock.unlock() }; return openers.keys.sorted() }
}
