import ArgumentParser
import HoneTunePostgres

/// The `hone` command line: train, tune, compress and harden neural networks.
@main
struct Hone: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hone",
        abstract: "Build, train, tune, compress and harden neural networks.",
        version: "0.1.0",
        subcommands: [
            // The main job and single runs (HoneRun).
            TuneCommand.self, TrainCommand.self, EvaluateCommand.self, PredictCommand.self, ReportCommand.self, LRFindCommand.self,
            // Hyperparameter search (HoneTune).
            AskCommand.self, TellCommand.self, HeartbeatCommand.self, StudiesCommand.self,
            // Robustness (HoneRobust).
            AttackCommand.self,
            // Compression (HoneCompress).
            CompressCommand.self,
            ExportCommand.self,
            // Scale-out (issue 8).
            WorkerCommand.self,
        ]
    )

    /// ArgumentParser's entry point, after registering the storage backends that live outside
    /// HoneTune (`postgresql://`).
    static func main() async {
        PostgresStorage.registerScheme()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
