import Foundation
import HoneData
import HoneNN
import HoneTrain

/// What one stage of a pipeline run measured (the first report, stage `"input"`, is the model
/// before compression).
public struct StageReport: Sendable, Equatable {
    public var stage: String
    public var testAccuracy: Double
    /// Stored parameter values (non-zeros of sparse layers; int8 weights count one each).
    public var params: Int
    /// Bytes of the saved model file.
    public var fileBytes: Int
    public var latencyMsBatch1: Double
    public var latencyMsBatch128: Double
    public var seconds: Double

    /// One JSON object with the fields `--json` prints.
    public var jsonLine: String {
        func n(_ v: Double, _ d: Int) -> String { v.isFinite ? String(format: "%.\(d)f", v) : "null" }
        return "{\"stage\":\"\(stage)\",\"test_accuracy\":\(n(testAccuracy, 4)),\"params\":\(params),\"file_bytes\":\(fileBytes),"
            + "\"latency_ms_b1\":\(n(latencyMsBatch1, 4)),\"latency_ms_b128\":\(n(latencyMsBatch128, 4)),\"seconds\":\(n(seconds, 1))}"
    }
}

/// Runs compression stages in order (e.g. distill → prune → quantize) and measures each:
/// test accuracy, stored parameters, file size, and latency at batch 1 and 128.
///
/// ```swift
/// let pipeline = CompressionPipeline(stages: [try PruneStage(method: .structured(fraction: 0.5, structure: .filters, norm: .l1))])
/// let (model, reports) = try pipeline.run(model, context: CompressionContext(train: data.train), test: data.test,
///                                         inputShape: [1, 28, 28])
/// try CompressedModelFile.save(model, to: URL(fileURLWithPath: "small.safetensors"))
/// ```
public struct CompressionPipeline {
    public var stages: [any CompressionStage]

    public init(stages: [any CompressionStage]) { self.stages = stages }

    /// Applies every stage; `report` is called after the input and after each stage. Writes no
    /// file (save the returned model). Throws the first stage's `CompressionError`.
    public func run<T: Dataset>(_ model: any Layer, context: CompressionContext, test: T, inputShape: [Int],
                                report: (StageReport) -> Void = { _ in }) throws -> (any Layer, [StageReport]) {
        guard test.count > 0 else { throw CompressionError.invalidArgument(name: "test data", reason: "is empty") }
        try context.fineTune.validate()
        var current = model
        var reports = [try Self.measure(current, stage: "input", test: test, inputShape: inputShape, seconds: 0)]
        report(reports[0])
        for stage in stages {
            let clock = ContinuousClock(), start = clock.now
            current = try stage.apply(to: current, context: context)
            let c = (clock.now - start).components
            let r = try Self.measure(current, stage: stage.name, test: test, inputShape: inputShape,
                                     seconds: Double(c.seconds) + Double(c.attoseconds) * 1e-18)
            reports.append(r)
            report(r)
        }
        return (current, reports)
    }

    /// Runs the stages and saves the final model to `url` (atomically, `CompressedModelFile`).
    /// When a stage or the save check throws, nothing is written.
    public func run<T: Dataset>(_ model: any Layer, context: CompressionContext, test: T, inputShape: [Int], saveTo url: URL,
                                report: (StageReport) -> Void = { _ in }) throws -> [StageReport] {
        let (result, reports) = try run(model, context: context, test: test, inputShape: inputShape, report: report)
        try CompressedModelFile.save(result, to: url)
        return reports
    }

    /// Accuracy, stored parameters, file bytes and latencies of `model`.
    public static func measure<T: Dataset>(_ model: any Layer, stage: String, test: T, inputShape: [Int],
                                           seconds: Double) throws -> StageReport {
        let accuracy = evaluate(model, data: test).accuracy ?? .nan
        let file = try CompressedModelFile.encode(model)
        return StageReport(stage: stage, testAccuracy: accuracy, params: storedParameters(model, file: file),
                           fileBytes: file.encoded().count,
                           latencyMsBatch1: Latency.milliseconds(model, inputShape: inputShape, batch: 1),
                           latencyMsBatch128: Latency.milliseconds(model, inputShape: inputShape, batch: 128, repeats: 11),
                           seconds: seconds)
    }

    /// Stored parameter values: a standard layer's parameters, a `SparseDense`'s non-zeros and
    /// bias, and for other compressed models the values of their weight entries.
    public static func storedParameters(_ model: any Layer, file: SafeTensors? = nil) -> Int {
        if let s = model as? Sequential {
            return s.layers.reduce(0) { total, e in
                if let sd = e.layer as? SparseDense { return total + sd.storedParameterCount }
                return total + storedParameters(e.layer)
            }
        }
        if model is QuantizedSequential, let file {
            // int8 weights and float biases; scales and zero points are per-channel bookkeeping.
            return file.tensors.filter { $0.key.hasSuffix("weight") || $0.key.hasSuffix("bias") }
                .reduce(0) { $0 + $1.value.shape.reduce(1, *) }
        }
        return model.parameterCount
    }
}
