import ArgumentParser
import Foundation
import HoneCompute
import HoneData
import HoneNN
import HoneTensor
import HoneTrain

/// `hone-bench compress-train`: trains a reference model (or a distillation student alone) on
/// full Fashion-MNIST and saves it, so the compression benchmarks (`hone-bench compress`) start
/// from the same trained models. Prints per-epoch progress and a JSON line.
struct CompressTrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress-train",
        abstract: "Train mlp | cnn | widecnn (Adam lr 1e-3, batch 128) on Fashion-MNIST and save it.")

    @Option(help: "mlp | cnn | widecnn") var model: String = "mlp"
    @Option(help: "Training epochs.") var epochs: Int = 5
    @Option(help: "Compute threads.") var threads: Int = 2
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Option(help: "Directory with the Fashion-MNIST IDX files.") var data: String = FashionMNIST.debianDirectory
    @Option(help: "Where to save the trained model (safetensors).") var save: String

    func run() throws {
        Compute.threadCount = threads
        let (train, test) = try CompressBenchData.load(data, image: model != "mlp")
        let net: Sequential
        switch model {
        case "mlp": net = Models.mlp(seed: seed)
        case "cnn": net = Models.cnn(seed: seed)
        case "widecnn": net = Models.wideCNN(seed: seed)
        default: throw ValidationError("--model must be mlp, cnn or widecnn, got \(model)")
        }
        let optimizer = Optimizer(net, adam(learningRate: 1e-3))
        try fit(net, optimizer: optimizer, data: train, epochs: epochs, batchSize: 128,
                callbacks: [NonFiniteLossGuard(), ProgressLogger(interactive: false)], seed: seed)
        let accuracy = evaluate(net, data: test).accuracy ?? .nan
        try ModelFile.save(net, to: URL(fileURLWithPath: save))
        print("{\"model\":\"\(model)\",\"epochs\":\(epochs),\"seed\":\(seed),\"test_accuracy\":\(accuracy),\"params\":\(net.parameterCount),\"saved\":\"\(save)\"}")
    }
}

/// Full Fashion-MNIST, with images as [1, 28, 28] for convolutional models.
enum CompressBenchData {
    static func load(_ directory: String, image: Bool) throws -> (InMemoryDataset, InMemoryDataset) {
        var train = try FashionMNIST.load(directory: directory, split: .train)
        var test = try FashionMNIST.load(directory: directory, split: .test)
        if image {
            train = train.reshaped(featureShape: [1, 28, 28])
            test = test.reshaped(featureShape: [1, 28, 28])
        }
        return (train, test)
    }
}
