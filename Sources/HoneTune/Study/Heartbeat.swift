import Foundation

/// Heartbeat settings of a study. On by default: while a trial runs, a background thread
/// writes its heartbeat every `interval` seconds; whenever any worker starts a trial, RUNNING
/// trials whose heartbeat is older than `grace` (default 2 × `interval`) are marked FAIL —
/// their worker died — and, with `retry`, re-enqueued with the same parameters.
///
/// ```swift
/// let hb = HeartbeatOptions(interval: 1, retry: true)          // fail after 2 s, re-run
/// let study = try Study(name: "s", storage: sqlite, heartbeat: hb)
/// ```
public struct HeartbeatOptions: Sendable, Hashable {
    /// Seconds between heartbeats; nil turns heartbeats off.
    public var interval: Double?
    /// Seconds without a heartbeat after which a RUNNING trial is stale.
    public var grace: Double
    /// Re-enqueue stale trials with their parameters.
    public var retry: Bool
    /// Longest chain of retries for one original trial.
    public var maxRetries: Int

    public init(interval: Double? = 10, grace: Double? = nil, retry: Bool = false, maxRetries: Int = 3) {
        precondition(interval.map { $0 > 0 } ?? true, "HeartbeatOptions: interval must be positive")
        self.interval = interval
        self.grace = grace ?? 2 * (interval ?? 0)
        self.retry = retry; self.maxRetries = maxRetries
    }

    /// 10 s heartbeats, stale after 20 s, no retry.
    public static let standard = HeartbeatOptions()
    /// No heartbeats, no stale-trial detection.
    public static let off = HeartbeatOptions(interval: nil)

    var policy: StaleTrialPolicy? {
        interval == nil ? nil : StaleTrialPolicy(grace: grace, retry: retry, maxRetries: maxRetries)
    }
}

/// Background thread that refreshes the heartbeats of this process's RUNNING trials.
final class HeartbeatMonitor: @unchecked Sendable {
    private let storage: any Storage
    private let interval: Double
    private let condition = NSCondition()
    private var running: Set<Int64> = []
    private var started = false
    private var stopped = false

    init(storage: any Storage, interval: Double) {
        self.storage = storage; self.interval = interval
    }

    func add(_ trialID: Int64) {
        condition.lock(); defer { condition.unlock() }
        running.insert(trialID)
        if !started {
            started = true
            let t = Thread { [self] in loop() }
            t.name = "hone-heartbeat"
            t.start()
        }
    }

    func remove(_ trialID: Int64) {
        condition.lock(); running.remove(trialID); condition.unlock()
    }

    func stop() {
        condition.lock(); stopped = true; condition.signal(); condition.unlock()
    }

    private func loop() {
        condition.lock()
        while !stopped {
            _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
            if stopped { break }
            let ids = Array(running)
            if ids.isEmpty { continue }
            condition.unlock()
            // A failed heartbeat write is retried at the next interval; the grace period is
            // two intervals, so one lost beat does not fail the trial.
            try? storage.recordHeartbeat(trialIDs: ids, now: Date().timeIntervalSince1970)
            condition.lock()
        }
        condition.unlock()
    }
}
