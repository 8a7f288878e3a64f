import ArgumentParser
import Foundation
import HoneCompute
import HoneData
import HoneNN
import HoneTensor
import HoneTrain
#if canImport(Glibc)
import Glibc
#endif

/// `hone-bench train`: trains a reference model on Fashion-MNIST (issue 3, item 10) and prints
/// one line per epoch, then one JSON object as the last line. `benchmarks/compare-train.py`
/// runs the same models in PyTorch side by side.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a reference model on Fashion-MNIST (Adam, lr 1e-3, inputs in [0, 1]) and report throughput and accuracy."
    )

    @Option(help: "mlp | cnn | lstm | widecnn") var model: String = "mlp"
    @Option(help: "Training epochs.") var epochs: Int = 1
    @Option(help: "Compute threads.") var threads: Int = 2
    @Option(help: "Batch size (training and inference).") var batch: Int = 128
    @Option(help: "Directory with the Fashion-MNIST IDX files.") var data: String = FashionMNIST.debianDirectory
    @Option(help: "Seed for initialization, shuffling and dropout.") var seed: UInt64 = 0
    @Option(help: "Use only the first N training examples (0: all).") var limit: Int = 0
    @Option(help: "Append per-epoch figures to this JSON Lines file.") var jsonl: String?
    @Option(help: "constant (the reference recipe) | cosine (lr 1e-3 annealed to 0 over all batches).")
    var schedule: String = "constant"
    @Option(help: "Peak learning rate.") var lr: Double = 1e-3
    @Option(help: "Decoupled weight decay (AdamW) when > 0; plain Adam when 0.") var weightDecay: Double = 0
    @Option(help: "Label smoothing ε of the cross-entropy.") var labelSmoothing: Double = 0
    @Option(help: "Image augmentation: none | flip (horizontal flip) | crop (random crop, padding 2) | crop-flip (crop + horizontal flip).")
    var augment: String = "none"

    func validate() throws {
        guard ["mlp", "cnn", "lstm", "widecnn"].contains(model) else {
            throw ValidationError("--model must be mlp, cnn, lstm or widecnn, got \(model)")
        }
        guard ["constant", "cosine"].contains(schedule) else {
            throw ValidationError("--schedule must be constant or cosine, got \(schedule)")
        }
        guard ["none", "flip", "crop", "crop-flip"].contains(augment) else {
            throw ValidationError("--augment must be none, flip, crop or crop-flip, got \(augment)")
        }
        guard lr > 0, weightDecay >= 0, labelSmoothing >= 0, labelSmoothing < 1 else {
            throw ValidationError("--lr must be > 0, --weight-decay ≥ 0 and --label-smoothing in [0, 1)")
        }
        guard epochs >= 1, threads >= 1, batch >= 1, limit >= 0 else {
            throw ValidationError("--epochs, --threads and --batch must be ≥ 1 and --limit ≥ 0")
        }
    }

    func run() throws {
        Compute.threadCount = threads
        var train = try FashionMNIST.load(directory: data, split: .train)
        var test = try FashionMNIST.load(directory: data, split: .test)
        if limit > 0 && limit < train.count { train = train.selecting(Array(0..<limit)) }
        let net: Sequential
        switch model {
        case "mlp": net = Models.mlp(seed: seed)
        case "cnn": net = Models.cnn(seed: seed)
        case "lstm": net = Models.lstm(seed: seed)
        default: net = Models.wideCNN(seed: seed)
        }
        if model == "cnn" || model == "widecnn" {
            train = train.reshaped(featureShape: [1, 28, 28])
            test = test.reshaped(featureShape: [1, 28, 28])
        }
        let steps = epochs * ((train.count + batch - 1) / batch)
        let rate: LearningRate = schedule == "cosine"
            ? .scheduled(base: lr, .cosine(periodSteps: steps, minimum: 0)) : .constant(lr)
        let chain: Chain = weightDecay > 0
            ? adamW(learningRate: rate, weightDecay: Float(weightDecay)) : adam(learningRate: rate)
        let optimizer = Optimizer(net, chain)
        let smoothing = Float(labelSmoothing)
        var loss: LossFunction = crossEntropyLoss
        if smoothing > 0 {
            loss = { (logits: Tensor, labels: [Int32]) -> Tensor in
                Loss.crossEntropy(logits: logits, labels: labels, labelSmoothing: smoothing)
            }
        }
        let augmentation: AugmentationPipeline?
        switch augment {
        case "flip": augmentation = AugmentationPipeline([HorizontalFlip()])
        case "crop": augmentation = AugmentationPipeline([RandomCrop(padding: 2)])
        case "crop-flip": augmentation = AugmentationPipeline([RandomCrop(padding: 2), HorizontalFlip()])
        default: augmentation = nil
        }
        var callbacks: [any Callback] = [NonFiniteLossGuard(), ProgressLogger(interactive: false)]
        if let jsonl { callbacks.append(JSONLLogger(path: jsonl, append: true)) }
        let history = try fit(net, loss: loss, optimizer: optimizer, data: train, epochs: epochs, batchSize: batch,
                              callbacks: callbacks, seed: seed, augmentation: augmentation)
        let trainSeconds = history.reduce(0) { $0 + ($1["seconds"] ?? 0) }
        let trainSamples = Double(train.count * history.count)

        let inference = Self.inferenceRate(net, test, batch: batch)
        let accuracy = evaluate(net, data: test, batchSize: batch).accuracy ?? .nan
        let result: [(String, String)] = [
            ("model", "\"\(model)\""), ("framework", "\"hone\""), ("schedule", "\"\(schedule)\""),
            ("lr", "\(lr)"), ("weight_decay", "\(weightDecay)"), ("label_smoothing", "\(labelSmoothing)"),
            ("augment", "\"\(augment)\""),
            ("epochs", "\(history.count)"),
            ("threads", "\(threads)"), ("batch", "\(batch)"), ("train_samples", "\(train.count)"),
            ("train_samples_per_s", Self.number(trainSamples / trainSeconds)),
            ("infer_samples_per_s", Self.number(inference)),
            ("test_accuracy", Self.number(accuracy, digits: 4)),
            ("final_loss", Self.number(history.last?["loss"] ?? .nan, digits: 4)),
            ("train_seconds", Self.number(trainSeconds, digits: 2)),
            ("peak_rss_mb", Self.number(Self.peakResidentMegabytes(), digits: 1)),
        ]
        let json = "{" + result.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}\n"
        FileHandle.standardOutput.write(Data(json.utf8))
    }

    /// Test-set samples per second of the forward pass alone (evaluation mode, no tape), over
    /// pre-built batches; best of three passes, after one warm-up pass.
    static func inferenceRate(_ model: Sequential, _ test: InMemoryDataset, batch: Int) -> Double {
        let batches: [Tensor] = stride(from: 0, to: test.count, by: batch).map { start in
            let b = test.gather(Array(start..<min(start + batch, test.count)))
            return Tensor(shape: b.shape, scalars: b.features)
        }
        model.setTraining(false)
        defer { model.setTraining(true) }
        let clock = ContinuousClock()
        var best = Duration.seconds(1e9)
        withoutGradient {
            for pass in 0..<4 {
                let start = clock.now
                for x in batches { _ = model(x) }
                if pass > 0 { best = min(best, clock.now - start) }
            }
        }
        let c = best.components
        return Double(test.count) / (Double(c.seconds) + Double(c.attoseconds) * 1e-18)
    }

    /// Peak resident set size of this process (`getrusage`, kilobytes on Linux).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func number(_ v: Double, digits: Int = 1) -> String {
        v.isFinite ? String(format: "%.\(digits)f", v) : "null"
    }
}
