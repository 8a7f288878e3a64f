import HoneData
import HoneNN
import HoneTensor

/// Post-training static int8 quantization (Krishnamoorthi, arXiv:1806.08342, §3; Jacob et al.,
/// CVPR 2018): BatchNorm is folded into the layer before it, weights are quantized per output
/// channel (symmetric int8), and each activation tensor that enters a dense or convolution
/// layer gets per-tensor uint8 parameters from calibration batches run through the float model
/// (observer: min-max, percentile or MSE). ReLU is fused into the layer before it.
///
/// Supported layers: Dense, Conv2D (groups 1, dilation 1), BatchNorm1d/2d after them, ReLU after
/// them, MaxPool2D (no padding), Flatten, Dropout, nested Sequential — which covers
/// `Models.mlp` and `Models.cnn`. Anything else throws `CompressionError.unsupportedLayer`.
///
/// ```swift
/// let train = try FashionMNIST.load(directory: FashionMNIST.debianDirectory, split: .train)
/// let q = try PostTrainingQuantization.quantize(model, calibration: train, method: .percentile(99.99))
/// try QuantizedModelFile.save(q, to: URL(fileURLWithPath: "mlp-int8.safetensors"))
/// ```
public enum PostTrainingQuantization {
    /// Calibrates on up to `maxSamples` examples of `calibration` (the first ones, in order).
    public static func quantize<D: Dataset>(_ model: any Layer, calibration: D, method: CalibrationMethod = .percentile(99.99),
                                            maxSamples: Int = 2048, batchSize: Int = 256) throws(CompressionError) -> QuantizedSequential {
        guard maxSamples > 0, batchSize > 0 else {
            throw .invalidArgument(name: "maxSamples/batchSize", reason: "must be positive, got \(maxSamples)/\(batchSize)")
        }
        let plan = try QuantizationPlan(model)
        let n = min(calibration.count, maxSamples)
        guard n > 0 else { throw .emptyCalibrationData(stage: QuantizationPlan.method) }
        let shape = plan.exampleShape(for: calibration.featureShape)
        let batches = stride(from: 0, to: n, by: batchSize).map { start in
            calibration.gather(Array(start..<min(n, start + batchSize))).featureTensor(exampleShape: shape)
        }
        return try calibrate(plan, batches: batches, method: method)
    }

    /// Calibrates on the given input batches (each `[N, …]` as the model expects).
    public static func quantize(_ model: any Layer, calibrationBatches: [Tensor],
                                method: CalibrationMethod = .percentile(99.99)) throws(CompressionError) -> QuantizedSequential {
        let plan = try QuantizationPlan(model)
        return try calibrate(plan, batches: calibrationBatches, method: method)
    }

    static func calibrate(_ plan: QuantizationPlan, batches: [Tensor], method: CalibrationMethod) throws(CompressionError) -> QuantizedSequential {
        guard batches.contains(where: { $0.count > 0 }) else { throw .emptyCalibrationData(stage: QuantizationPlan.method) }
        var observers = plan.linearIndices.map { _ in method.makeObserver() }
        withoutGradient {
            for b in batches where b.count > 0 {
                _ = plan.run(b) { i, t in t.withUnsafeBufferPointer { observers[i].observeRange($0) } }
            }
            if observers.contains(where: \.needsHistogram) {
                for b in batches where b.count > 0 {
                    _ = plan.run(b) { i, t in t.withUnsafeBufferPointer { observers[i].observeHistogram($0) } }
                }
            }
        }
        return plan.quantized(inputs: observers.map { $0.parameters() })
    }
}
