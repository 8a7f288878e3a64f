import ArgumentParser
import Foundation
import HoneConfig
import HoneReport
import HoneRun

/// `hone lr-find [CONFIG]`: the learning-rate range test; plots loss against learning rate and
/// suggests a rate.
struct LRFindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lr-find", abstract: "Run the learning-rate range test and suggest a learning rate.")

    @Argument(help: "YAML config (default: the embedded default).") var config: String?
    @Option(help: "Values for the config's searched fields as JSON (the learning rate itself is swept; fields not given take their first choice or lower bound).") var params: String?
    @Option(help: "Lowest learning rate.") var start = 1e-7
    @Option(help: "Highest learning rate.") var end = 10.0
    @Option(help: "Number of batches.") var steps = 100
    @Option(help: "Where to write the plot (HTML).") var output = "runs/lr-find/lr-find.html"
    @Flag(help: "Print a JSON summary as the last line.") var json = false

    func run() throws {
        let cfg = try RunSupport.loadConfig(config)
        var given = try TrainCommand.parseParams(params)
        given["training.learning_rate"] = .float(1)
        let data = try LoadedData.load(cfg)
        let r = try LRFinder.run(config: cfg, data: data, source: LenientParameters(given, fallback: FirstChoice()), start: start, end: end, steps: steps)
        var report = HTMLReport(title: "Learning-rate range test")
        report.paragraph(String(format: "Suggested learning rate: %.3g (steepest descent of the smoothed loss); minimum-loss rate / 10: %.3g.",
                                r.steepest, r.minimumOverTen))
        report.figure(LRFinder.chart(r), caption: "smoothed training loss while the learning rate rises exponentially")
        try report.write(to: URL(fileURLWithPath: output))
        RunSupport.say(String(format: "suggested learning rate %.3g (min-loss/10: %.3g) after %d batches; plot: %@",
                              r.steepest, r.minimumOverTen, r.learningRates.count, output))
        if json {
            RunSupport.say(String(format: "{\"command\":\"lr-find\",\"suggested_lr\":%.6g,\"min_loss_lr_over_10\":%.6g,\"batches\":%d,\"plot\":\"%@\"}",
                                  r.steepest, r.minimumOverTen, r.learningRates.count, output))
        }
    }
}
