import ArgumentParser
import Foundation
import HoneCompress
import HoneCompute
import HoneData
import HoneNN
import HoneTensor
import HoneTrain

/// `hone-bench quant`: int8 post-training quantization of saved models (e.g. `Models.mlp` and
/// `Models.cnn` trained on Fashion-MNIST): test accuracy float vs int8, file sizes, and
/// inference latency at batch 1 and 128 for Hone fp32, Hone int8 (static) and Hone int8 dynamic
/// (int8 weights, activations quantized per batch: the scheme of PyTorch's `quantize_dynamic`), measured interleaved in one run.
/// One JSON line per model.
struct QuantBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quant", abstract: "Int8 PTQ of saved models: accuracy, file size and latency vs fp32.")

    @Option(help: "Saved float models (safetensors with architecture), as name=path.") var model: [String] = []
    @Option(help: "Fashion-MNIST directory (IDX files).") var data = FashionMNIST.debianDirectory
    @Option(help: "Worker threads.") var threads = 2
    @Option(help: "Calibration: minmax, percentile, mse.") var method = "percentile"
    @Option(help: "Calibration examples (from the training set).") var calibration = 2048
    @Option(help: "Timed repetitions per measurement (median reported).") var reps = 7
    @Option(help: "Quantization-aware fine-tuning epochs (0: skip QAT).") var qatEpochs = 0
    @Option(help: "QAT learning rate (Adam).") var qatLearningRate = 1e-4
    @Option(help: "Directory for the int8 model files, ONNX files and test-set logits (default: a temporary directory, removed).")
    var output: String?

    func run() throws {
        Compute.threadCount = threads
        let train = try FashionMNIST.load(directory: data, split: .train)
        let test = try FashionMNIST.load(directory: data, split: .test)
        let calib: CalibrationMethod = method == "minmax" ? .minMax : method == "mse" ? .mse : .percentile(99.99)
        let outDir = output.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("hone-quant-bench-\(getpid())")
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        defer { if output == nil { try? FileManager.default.removeItem(at: outDir) } }
        for spec in model {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--model expects name=path, got \(spec)") }
            let (name, path) = (parts[0], parts[1])
            let float = try ModelFile.load(from: URL(fileURLWithPath: path))
            let isConv = float.namedParameters.first.map { $0.1.shape.count == 4 } ?? false
            let shape = isConv ? [1, 28, 28] : [784]
            let t0 = Date()
            let q = try PostTrainingQuantization.quantize(float, calibration: train, method: calib, maxSamples: calibration)
            let quantizeSeconds = Date().timeIntervalSince(t0)
            let dyn = try DynamicQuantization.quantize(float)
            let qURL = outDir.appendingPathComponent("\(name)-int8.safetensors")
            try QuantizedModelFile.save(q, to: qURL)
            let floatBytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
            let int8Bytes = try FileManager.default.attributesOfItem(atPath: qURL.path)[.size] as! Int
            let reloaded = try QuantizedModelFile.load(from: qURL)

            if output != nil {
                // ONNX files and test-set logits for benchmarks/compare-quant.py (onnxruntime side).
                try ONNXExport.write(float, inputShape: shape, to: outDir.appendingPathComponent("\(name)-fp32.onnx"))
                try ONNXExport.write(q, inputShape: shape, to: outDir.appendingPathComponent("\(name)-int8.onnx"))
                for (label, m) in [("fp32", float), ("int8", q as any Layer)] {
                    let logits = withoutGradient { predictAll(m, test, shape) }
                    let bytes = logits.withUnsafeBytes { Data($0) }
                    try bytes.write(to: outDir.appendingPathComponent("\(name)-\(label)-logits.f32"))
                }
            }
            let accFloat = accuracy(float, test, shape), accInt8 = accuracy(q, test, shape)
            let accDyn = accuracy(dyn, test, shape), accReloaded = accuracy(reloaded, test, shape)
            var qatAccuracy: Double?
            if qatEpochs > 0 {
                let qat = try QuantizationAwareTraining.prepare(float)
                let trainData = isConv ? train.reshaped(featureShape: shape) : train
                try fit(qat, optimizer: Optimizer(qat, adam(learningRate: .constant(qatLearningRate))), data: trainData,
                        epochs: qatEpochs, batchSize: 128, seed: 1)
                qatAccuracy = accuracy(qat.convert(), test, shape)
            }
            var line: [String: Any] = [
                "bench": "quant", "model": name, "threads": threads, "calibration": "\(calib)", "calibration_examples": calibration,
                "quantize_s": quantizeSeconds, "path": QGEMM.active.description,
                "accuracy_fp32": accFloat, "accuracy_int8": accInt8, "accuracy_int8_reloaded": accReloaded,
                "accuracy_int8_dynamic": accDyn, "drop_pt": (accFloat - accInt8) * 100,
                "file_bytes_fp32": floatBytes, "file_bytes_int8": int8Bytes,
                "file_ratio": Double(floatBytes) / Double(int8Bytes),
            ]
            if let qatAccuracy {
                line["accuracy_int8_qat"] = qatAccuracy
                line["drop_qat_pt"] = (accFloat - qatAccuracy) * 100
                line["qat_epochs"] = qatEpochs
            }
            for batch in [1, 128] {
                let x = test.gather(Array(0..<batch)).featureTensor(exampleShape: shape)
                let runs: [(String, any Layer)] = [("fp32", float), ("int8", q), ("int8_dynamic", dyn)]
                let ms = Self.interleavedMedians(runs.map(\.1), input: x, reps: reps)
                for (i, (label, _)) in runs.enumerated() { line["latency_ms_b\(batch)_\(label)"] = ms[i] }
                line["speedup_b\(batch)"] = ms[0] / ms[1]
                line["speedup_b\(batch)_dynamic"] = ms[0] / ms[2]
            }
            let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
            print(String(decoding: json, as: UTF8.self))
        }
    }

    func accuracy(_ m: any Layer, _ data: InMemoryDataset, _ shape: [Int]) -> Double {
        var correct = 0
        withoutGradient {
            for start in stride(from: 0, to: data.count, by: 500) {
                let b = data.gather(Array(start..<min(data.count, start + 500)))
                let y = Self.argmax(m(b.featureTensor(exampleShape: shape)))
                for (i, l) in b.labels.enumerated() where Int32(y[i]) == l { correct += 1 }
            }
        }
        return Double(correct) / Double(data.count)
    }

    /// Logits for every example, row-major [N, classes].
    func predictAll(_ m: any Layer, _ data: InMemoryDataset, _ shape: [Int]) -> [Float] {
        var out: [Float] = []
        for start in stride(from: 0, to: data.count, by: 500) {
            out += m(data.gather(Array(start..<min(data.count, start + 500))).featureTensor(exampleShape: shape)).scalars
        }
        return out
    }

    /// Median milliseconds per call for each model, measured in alternating rounds so that
    /// machine load affects all alike. Each round times enough calls for ≥ 20 ms.
    static func interleavedMedians(_ models: [any Layer], input: Tensor, reps: Int) -> [Double] {
        var samples = [[Double]](repeating: [], count: models.count)
        var calls = [Int](repeating: 1, count: models.count)
        withoutGradient {
            for (i, m) in models.enumerated() {
                for _ in 0..<3 { _ = m(input) }
                let t = Date()
                _ = m(input)
                calls[i] = max(1, Int(0.02 / max(1e-6, Date().timeIntervalSince(t))))
            }
            for _ in 0..<reps {
                for (i, m) in models.enumerated() {
                    let t = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<calls[i] { _ = m(input) }
                    samples[i].append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6 / Double(calls[i]))
                }
            }
        }
        return samples.map { $0.sorted()[$0.count / 2] }
    }
}

extension QuantBench {
    /// Row-wise argmax of `[N, C]` logits.
    static func argmax(_ t: Tensor) -> [Int] {
        let c = t.shape[1], v = t.scalars
        return (0..<t.shape[0]).map { i in
            var best = 0
            for j in 1..<c where v[i * c + j] > v[i * c + best] { best = j }
            return best
        }
    }
}
