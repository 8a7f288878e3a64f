import Foundation
import HoneConfig
import HoneTrain
import HoneTune

/// What `hone worker` reports when it stops.
public struct WorkerSummary: Codable, Sendable {
    public var study: String
    /// Trials this worker ran, by final state.
    public var completed: Int, pruned: Int, failed: Int
    /// Trials in the study (all workers) when this one stopped.
    public var studyTrials: Int
    public var wallSeconds: Double

    enum CodingKeys: String, CodingKey {
        case study, completed, pruned, failed, studyTrials = "study_trials", wallSeconds = "wall_s"
    }

    public var jsonLine: String {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        return String(decoding: (try? enc.encode(self)) ?? Data(), as: UTF8.self)
    }
}

/// `hone worker`: joins a study that `hone tune` (or another worker) created in a shared
/// storage, and runs trials of the same config until the study's budget is used up (all
/// workers together) or the timeout passes. It does not retrain or report: the `hone tune`
/// process that owns the study does that once the search is over.
///
/// Heartbeats are on (every `heartbeatInterval` s, stale after two), with retry: a worker that
/// dies mid-trial has its trial failed and re-queued by whichever worker asks next.
///
/// ```swift
/// var o = TuneOptions(); o.storage = "postgresql://hone@db/studies"
/// let s = try TuneWorker.run(config: cfg, options: o, heartbeatInterval: 10, log: { print($0) })
/// ```
public enum TuneWorker {
    public static func run(config: HoneConfig, options: TuneOptions, heartbeatInterval: Double,
                           log: @escaping @Sendable (String) -> Void) throws -> WorkerSummary {
        let started = Date()
        var config = config
        if let o = options.output { config.output = o }
        guard let url = options.storage ?? config.search.storage else {
            throw RunError("hone worker needs a shared storage: pass --storage URL or set search.storage in the config")
        }
        let studyName = options.study ?? config.search.study ?? "default"
        let storage = try openStorage(url)
        guard let record = try storage.study(named: studyName) else {
            let shown = redactedPassword(url)
            throw RunError("no study named '\(studyName)' in \(shown); start it with `hone tune --storage \(shown)` first")
        }
        let dir = RunDirectory(output: config.output, study: studyName)
        try dir.create()
        let data = try LoadedData.load(config)
        let sampler = try SamplerRegistry.make(config.search.sampler,
                                               SamplerOptions(seed: UInt64(config.search.seed) &+ UInt64(getpid()),
                                                              directions: record.directions))
        let study = try Study(name: studyName, directions: record.directions, sampler: sampler,
                              pruner: try Pruners.make(config.search.pruner, epochs: config.training.epochs),
                              storage: storage, heartbeat: HeartbeatOptions(interval: heartbeatInterval, retry: true))
        let budget = options.trials ?? config.search.trials
        log("worker joined study \(studyName) (\(try study.trials().count) trials so far, budget \(budget)); \(data.origin)")
        let progress = TuneProgress(total: budget, log: log)
        let timeout = options.timeout ?? config.search.timeout
        var objective = Objective(config: config, data: data, dir: dir, interrupt: options.interrupt, quiet: options.quiet)
        objective.deadline = timeout.map { Date().addingTimeInterval($0) }
        let mine = MineBox()
        let trialObjective = objective
        try SearchLoop.run(study: study, budget: budget, timeout: timeout,
                           parallelism: config.search.parallelism, catching: [TrainingError.self],
                           onTrialEnd: { n in mine.add(n); progress.trialEnded(study: study, number: n) },
                           objective: { try trialObjective($0) })
        let trials = try study.trials()
        let ran = mine.numbers.compactMap { n in trials.first { $0.number == n } }
        return WorkerSummary(study: studyName, completed: ran.filter { $0.state == .complete }.count,
                             pruned: ran.filter { $0.state == .pruned }.count, failed: ran.filter { $0.state == .fail }.count,
                             studyTrials: trials.count, wallSeconds: Date().timeIntervalSince(started))
    }
}

private final class MineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Int] = []
    func add(_ n: Int) { lock.lock(); list.append(n); lock.unlock() }
    var numbers: [Int] { lock.lock(); defer { lock.unlock() }; return list }
}

/// `scheme://user:secret@host/…` → `scheme://user:***@host/…` (for messages).
func redactedPassword(_ url: String) -> String {
    guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@"),
          let colon = url[scheme.upperBound..<at].firstIndex(of: ":") else { return url }
    return String(url[..<colon]) + ":***" + String(url[at...])
}
