import ArgumentParser
import Foundation
import HoneRun

/// `hone worker CONFIG --storage URL`: joins a study in a shared storage (PostgreSQL, or an
/// SQLite file on one machine) and runs trials of the same config until the study's budget is
/// used up. Start the study with `hone tune CONFIG --storage URL`, then as many workers as you
/// like on any machine that reaches the database:
///
///     hone tune  search.yaml --storage postgresql://hone@db/studies &
///     hone worker search.yaml --storage postgresql://hone@db/studies
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Join an existing study in a shared storage and run its trials.")

    @Argument(help: "YAML config of the study (the same as `hone tune` was given).") var config: String?
    @Option(help: "Storage URL: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB or sqlite:///PATH (overrides search.storage).")
    var storage: String?
    @Option(help: "Total trials in the study, all workers together (overrides search.trials).") var trials: Int?
    @Option(help: "Seconds after which this worker starts no new trial (overrides search.timeout).") var timeout: Double?
    @Option(help: "Study name (overrides search.study).") var study: String?
    @Option(help: "Directory for this worker's per-trial artifacts (default: runs).") var output: String?
    @Option(help: "Seconds between heartbeats; a trial without one for twice this long is failed and re-queued.")
    var heartbeat = 10.0
    @Flag(help: "Print a JSON summary as the last line.") var json = false
    @Flag(help: "No per-epoch progress.") var quiet = false

    func validate() throws {
        _ = try RunSupport.tuneOptions(trials: trials, timeout: timeout, study: study, output: output, storage: storage,
                                       quiet: quiet)
        if heartbeat <= 0 { throw ValidationError("--heartbeat must be positive") }
    }

    func run() throws {
        let cfg = try RunSupport.loadConfig(config)
        let options = try RunSupport.tuneOptions(trials: trials, timeout: timeout, study: study, output: output,
                                                 storage: storage, quiet: quiet)
        try RunSupport.withInterruptHandling(options.interrupt) {
            let s = try TuneWorker.run(config: cfg, options: options, heartbeatInterval: heartbeat, log: RunSupport.say)
            RunSupport.say("worker done: \(s.completed) complete, \(s.pruned) pruned, \(s.failed) failed here; "
                           + "\(s.studyTrials) trials in study \(s.study)")
            if json { RunSupport.say(s.jsonLine) }
        }
    }
}
