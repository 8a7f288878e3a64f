import ArgumentParser
import Foundation
import HoneCompress
import HoneCompute
import HoneData
import HoneNN
import HoneRandom
import HoneTensor
import HoneTrain

/// `hone-bench compress`: issue 6's pruning and distillation figures on full Fashion-MNIST,
/// starting from models saved by `hone-bench compress-train`. Each task prints JSON lines.
///   unstructured: gradual magnitude pruning to --sparsity during --epochs of fine-tuning, then
///                 Dense → SparseDense; accuracy, file size, latency dense vs sparse (interleaved).
///   structured:   --fraction of conv filters removed (L1), fine-tuned; accuracy, size, latency.
///   distill:      student alone vs distilled from --teacher, for each of --seeds.
///   crossover:    Dense vs SparseDense latency over weight densities (784×256, 256×128).
struct CompressBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compress", abstract: "Pruning / sparse-kernel / distillation figures (issue 6).")

    @Option(help: "unstructured | structured | distill | crossover") var task: String
    @Option(help: "Saved base model (unstructured, structured).") var model: String?
    @Option(help: "Saved teacher (distill).") var teacher: String?
    @Option(help: "Target sparsity (unstructured).") var sparsity: Double = 0.9
    @Option(help: "layerwise | global (unstructured).") var scope: String = "global"
    @Option(help: "Filter fraction (structured).") var fraction: Double = 0.5
    @Option(help: "Fine-tuning (or student training) epochs.") var epochs: Int = 2
    @Option(help: "Learning rate of fine-tuning / student training.") var lr: Double = 5e-4
    @Option(help: "Distillation temperature.") var temperature: Float = 4
    @Option(help: "Distillation weight of the soft term.") var alpha: Float = 0.9
    @Option(help: "Seeds (comma-separated).") var seeds: String = "0"
    @Option(help: "Distill student: mlp (784-256-10, 203,530 parameters) | cnn (c16-p-c32-p-fc64, 56,714 parameters).")
    var student: String = "mlp"
    @Flag(help: "Distill: cosine learning-rate decay to 0 over all steps (both students).") var cosine = false
    @Option(help: "Compute threads.") var threads: Int = 2
    @Option(help: "Latency rounds (interleaved).") var rounds: Int = 31
    @Option(help: "Directory with the Fashion-MNIST IDX files.") var data: String = FashionMNIST.debianDirectory

    func run() throws {
        Compute.threadCount = threads
        switch task {
        case "unstructured": try unstructured()
        case "structured": try structured()
        case "distill": try distill()
        case "crossover": crossover()
        default: throw ValidationError("--task must be unstructured, structured, distill or crossover")
        }
    }

    func loadSequential(_ path: String?) throws -> Sequential {
        guard let path else { throw ValidationError("--model is required") }
        guard let s = try CompressedModelFile.load(from: URL(fileURLWithPath: path)) as? Sequential else {
            throw ValidationError("\(path) is not a Sequential model")
        }
        return s
    }

    static func emit(_ fields: [(String, Any)]) {
        let body = fields.map { k, v -> String in
            switch v {
            case let s as String: return "\"\(k)\":\"\(s)\""
            case let d as Double: return "\"\(k)\":" + (d.isFinite ? String(format: "%.5g", d) : "null")
            default: return "\"\(k)\":\(v)"
            }
        }.joined(separator: ",")
        FileHandle.standardOutput.write(Data(("{" + body + "}\n").utf8))
    }

    /// Interleaved medians (ms) of a and b at one batch size.
    static func interleaved(_ a: any Layer, _ b: any Layer, inputShape: [Int], batch: Int, rounds: Int) -> (Double, Double) {
        let x = Tensor.zeros([batch] + inputShape) + 0.5
        var ta: [Double] = [], tb: [Double] = []
        _ = Latency.samples(a, input: x, repeats: 1, warmup: 3)
        _ = Latency.samples(b, input: x, repeats: 1, warmup: 3)
        for _ in 0..<rounds {
            ta += Latency.samples(a, input: x, repeats: 3, warmup: 0)
            tb += Latency.samples(b, input: x, repeats: 3, warmup: 0)
        }
        return (ta.median, tb.median)
    }

    static func load() -> String { (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?" }

    func unstructured() throws {
        let net = try loadSequential(model)
        let image = net.layers.contains { $0.layer is Conv2D }
        let (train, test) = try CompressBenchData.load(data, image: image)
        let inputShape = image ? [1, 28, 28] : [784]
        let baseAcc = evaluate(net, data: test).accuracy ?? .nan
        let dense = try loadSequential(model)   // an untouched copy
        let steps = epochs * ((train.count + 127) / 128)
        let end = max(1, epochs > 1 ? steps * (epochs - 1) / epochs : steps / 2)
        let schedule = try PolynomialDecaySchedule(initialSparsity: 0, finalSparsity: sparsity, beginStep: 0, endStep: end,
                                                   frequency: max(1, end / 20))
        let pruning = GradualPruning(schedule: schedule, scope: scope == "layerwise" ? .layerwise : .global)
        let clock = ContinuousClock(), t0 = clock.now
        try fit(net, optimizer: Optimizer(net, adam(learningRate: .constant(lr))), data: train, epochs: epochs, batchSize: 128,
                callbacks: [pruning, ProgressLogger(interactive: false)], seed: 1)
        let tuneSeconds = (clock.now - t0).components.seconds
        let prunedAcc = evaluate(net, data: test).accuracy ?? .nan
        let sparse = try Pruning.sparsify(net)
        let sparseAcc = evaluate(sparse, data: test).accuracy ?? .nan
        let (d128, s128) = Self.interleaved(dense, sparse, inputShape: inputShape, batch: 128, rounds: rounds)
        let (d1, s1) = Self.interleaved(dense, sparse, inputShape: inputShape, batch: 1, rounds: rounds)
        let denseBytes = try CompressedModelFile.byteCount(of: dense), sparseBytes = try CompressedModelFile.byteCount(of: sparse)
        Self.emit([("task", "unstructured"), ("model", model!), ("target_sparsity", sparsity), ("scope", scope),
                   ("measured_sparsity", pruning.masks.measuredSparsity(of: net)), ("fine_tune_epochs", epochs),
                   ("fine_tune_s", Double(tuneSeconds)),
                   ("base_accuracy", baseAcc), ("pruned_accuracy", prunedAcc), ("sparse_model_accuracy", sparseAcc),
                   ("drop_pt", (baseAcc - prunedAcc) * 100),
                   ("sparse_layers", sparse.layers.filter { $0.layer is SparseDense }.count),
                   ("dense_ms_b128", d128), ("sparse_ms_b128", s128), ("speedup_b128", d128 / s128),
                   ("dense_ms_b1", d1), ("sparse_ms_b1", s1), ("speedup_b1", d1 / s1),
                   ("dense_file_bytes", denseBytes), ("sparse_file_bytes", sparseBytes),
                   ("file_ratio", Double(denseBytes) / Double(sparseBytes)), ("threads", threads), ("load", Self.load())])
    }

    func structured() throws {
        let net = try loadSequential(model)
        let (train, test) = try CompressBenchData.load(data, image: true)
        let baseAcc = evaluate(net, data: test).accuracy ?? .nan
        let r = try Pruning.structured(net, fraction: fraction, structure: .filters, norm: .l1)
        let small = r.model
        let oneShotAcc = evaluate(small, data: test).accuracy ?? .nan
        try fit(small, optimizer: Optimizer(small, adam(learningRate: .constant(lr))), data: train, epochs: epochs,
                batchSize: 128, callbacks: [ProgressLogger(interactive: false)], seed: 1)
        let tunedAcc = evaluate(small, data: test).accuracy ?? .nan
        let (d128, s128) = Self.interleaved(net, small, inputShape: [1, 28, 28], batch: 128, rounds: rounds)
        let (d1, s1) = Self.interleaved(net, small, inputShape: [1, 28, 28], batch: 1, rounds: rounds)
        let b0 = try CompressedModelFile.byteCount(of: net), b1 = try CompressedModelFile.byteCount(of: small)
        Self.emit([("task", "structured"), ("model", model!), ("fraction", fraction), ("fine_tune_epochs", epochs),
                   ("params_before", net.parameterCount), ("params_after", small.parameterCount),
                   ("kept", r.kept.map { "\($0.key):\($0.value.count)" }.sorted().joined(separator: " ")),
                   ("base_accuracy", baseAcc), ("one_shot_accuracy", oneShotAcc), ("tuned_accuracy", tunedAcc),
                   ("drop_pt", (baseAcc - tunedAcc) * 100),
                   ("base_ms_b128", d128), ("pruned_ms_b128", s128), ("speedup_b128", d128 / s128),
                   ("base_ms_b1", d1), ("pruned_ms_b1", s1), ("speedup_b1", d1 / s1),
                   ("base_file_bytes", b0), ("pruned_file_bytes", b1), ("file_ratio", Double(b0) / Double(b1)),
                   ("threads", threads), ("load", Self.load())])
    }

    /// The distillation students: a 784-256-10 MLP (203,530 parameters) or a small CNN
    /// (conv 3×3 16 → pool → conv 3×3 32 → pool → dense 64 → dense 10; 56,714 parameters).
    static func student(_ kind: String, seed: UInt64) -> Sequential {
        var g = SeededGenerator(seed: seed)
        if kind == "cnn" {
            return Sequential(
                Conv2D(inputChannels: 1, outputChannels: 16, kernelSize: 3, generator: &g), ReLU(), MaxPool2D(kernelSize: 2),
                Conv2D(inputChannels: 16, outputChannels: 32, kernelSize: 3, generator: &g), ReLU(), MaxPool2D(kernelSize: 2),
                Flatten(), Dense(inputSize: 800, outputSize: 64, generator: &g), ReLU(),
                Dense(inputSize: 64, outputSize: 10, generator: &g))
        }
        return Sequential(Flatten(), Dense(inputSize: 784, outputSize: 256, generator: &g), ReLU(),
                          Dense(inputSize: 256, outputSize: 10, generator: &g))
    }

    func distill() throws {
        guard let teacher else { throw ValidationError("--teacher is required") }
        let t = try CompressedModelFile.load(from: URL(fileURLWithPath: teacher))
        let (train, test) = try CompressBenchData.load(data, image: true)
        let teacherAcc = evaluate(t, data: test).accuracy ?? .nan
        Self.emit([("task", "distill"), ("teacher", teacher), ("teacher_accuracy", teacherAcc),
                   ("teacher_params", t.parameterCount), ("student_params", Self.student(student, seed: 0).parameterCount)])
        let seedList = seeds.split(separator: ",").compactMap { UInt64($0) }
        var gains: [Double] = []
        let steps = epochs * ((train.count + 127) / 128)
        let rate: LearningRate = cosine ? .scheduled(base: lr, .cosine(periodSteps: steps, minimum: 0)) : .constant(lr)
        for seed in seedList {
            let alone = Self.student(student, seed: seed)
            try fit(alone, optimizer: Optimizer(alone, adam(learningRate: rate)), data: train, epochs: epochs,
                    batchSize: 128, seed: seed)
            let aloneAcc = evaluate(alone, data: test).accuracy ?? .nan
            let pupil = Self.student(student, seed: seed)
            let d = try Distiller(teacher: t, student: pupil, temperature: temperature, alpha: alpha, cacheTeacherOutputs: true)
            try fit(d, loss: d.loss, optimizer: Optimizer(pupil, adam(learningRate: rate)), data: train,
                    epochs: epochs, batchSize: 128, seed: seed)
            let distilledAcc = evaluate(pupil, data: test).accuracy ?? .nan
            gains.append((distilledAcc - aloneAcc) * 100)
            Self.emit([("task", "distill"), ("student", student), ("seed", Int(seed)), ("epochs", epochs), ("temperature", Double(temperature)),
                       ("alpha", Double(alpha)), ("cosine", "\(cosine)"), ("alone_accuracy", aloneAcc), ("distilled_accuracy", distilledAcc),
                       ("gain_pt", gains.last!), ("load", Self.load())])
        }
        Self.emit([("task", "distill"), ("mean_gain_pt", gains.reduce(0, +) / Double(max(1, gains.count))), ("seeds", seeds)])
    }

    func crossover() {
        for (inputs, outputs) in [(784, 256), (256, 128)] {
            for density in [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7] {
                let d = Dense(inputSize: inputs, outputSize: outputs, seed: 3)
                _ = try? Pruning.magnitude(d, sparsity: 1 - density)
                let s = SparseDense(d)
                let (d128, s128) = Self.interleaved(d, s, inputShape: [inputs], batch: 128, rounds: rounds)
                let (d1, s1) = Self.interleaved(d, s, inputShape: [inputs], batch: 1, rounds: rounds)
                Self.emit([("task", "crossover"), ("layer", "\(inputs)x\(outputs)"), ("density", density),
                           ("dense_ms_b128", d128), ("sparse_ms_b128", s128), ("speedup_b128", d128 / s128),
                           ("dense_ms_b1", d1), ("sparse_ms_b1", s1), ("speedup_b1", d1 / s1), ("threads", threads),
                           ("isa", "\(InstructionSet.active)")])
            }
        }
    }
}
