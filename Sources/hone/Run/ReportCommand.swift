import ArgumentParser
import Foundation
import HoneRun

/// `hone report [CONFIG]`: rebuilds `runs/<study>/report.html` from the stored study, metrics and
/// best model.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Rebuild the HTML report of a tuned study.")

    @Argument(help: "YAML config the study ran with (default: the embedded default).") var config: String?
    @Option(help: "Study name (default: the config's, else 'default').") var study: String?
    @Option(help: "Directory of run artifacts (default: runs).") var output: String?

    func run() throws {
        let url = try TuneRun.report(config: try RunSupport.loadConfig(config), study: study, output: output)
        RunSupport.say("wrote \(url.path)")
    }
}
