import ArgumentParser

/// Release-built benchmarks. Each prints JSON lines, one per measurement.
@main
struct HoneBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hone-bench",
        abstract: "Hone's benchmarks (build with -c release).",
        subcommands: [
            CoreBench.self,
            TensorBench.self,
            StorageBench.self, StorageWorker.self, HPOBench.self,
            PruneBench.self,
            QuantBench.self,
            TrainBench.self, OptimizerStepBench.self,
            CompressTrainBench.self, CompressBench.self,
        ]
    )
}
