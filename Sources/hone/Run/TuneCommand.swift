import ArgumentParser
import Foundation
import HoneConfig
import HoneRun

/// `hone tune [CONFIG]`: the main job. Tunes on a validation split of the training data,
/// retrains the best configuration on all of it, evaluates once on the test set, and writes
/// the study, best model, metrics, TensorBoard logs and `report.html` under `runs/<study>/`.
/// With no CONFIG it runs the embedded default (bundled Fashion-MNIST subset, TPE + ASHA).
/// Running the same command again resumes the study.
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune", abstract: "Tune, retrain the best configuration, evaluate and report.")

    @Argument(help: "YAML config (default: the embedded default).") var config: String?
    @Option(help: "Total trials in the study (overrides search.trials).") var trials: Int?
    @Option(help: "Seconds for the search (overrides search.timeout).") var timeout: Double?
    @Option(help: "Study name (overrides search.study).") var study: String?
    @Option(help: "Directory for run artifacts (default: runs).") var output: String?
    @Option(help: "Storage URL, e.g. postgresql://USER@HOST/DB to share the study with `hone worker`s (overrides search.storage).")
    var storage: String?
    @Flag(help: "Print a JSON summary as the last line.") var json = false
    @Flag(help: "No per-epoch progress.") var quiet = false

    func validate() throws {
        _ = try RunSupport.tuneOptions(trials: trials, timeout: timeout, study: study, output: output, storage: storage,
                                       quiet: quiet)
    }

    func run() throws {
        let cfg = try RunSupport.loadConfig(config)
        let options = try RunSupport.tuneOptions(trials: trials, timeout: timeout, study: study, output: output,
                                                 storage: storage, quiet: quiet)
        try RunSupport.withInterruptHandling(options.interrupt) {
            let summary = try TuneRun.run(config: cfg, options: options, log: RunSupport.say)
            RunSupport.say(String(format: "done: best validation %.4f, test accuracy %.4f, %d trials (%d pruned) in %.0f s; report: %@",
                                  summary.bestValidation, summary.testAccuracy, summary.trialsCompleted + summary.trialsPruned,
                                  summary.trialsPruned, summary.wallSeconds, summary.artifacts.first { $0.hasSuffix("report.html") } ?? ""))
            if json { RunSupport.say(summary.jsonLine) }
        }
    }
}

