import HoneData
import HoneNN

/// The `quantize` step of a compression pipeline: post-training static int8 quantization
/// calibrated on `context.calibration` (`PostTrainingQuantization`), or dynamic quantization
/// (`DynamicQuantization`, no calibration) when `dynamic` is set. The result is a
/// `QuantizedSequential` (static) or a `Sequential` with int8 Dense/LSTM layers (dynamic).
///
/// ```swift
/// let stage = QuantizeStage(method: .percentile(99.99), calibrationSamples: 2048)
/// let q = try stage.apply(to: model, context: CompressionContext(train: data.train))
/// ```
public struct QuantizeStage: CompressionStage {
    public var method: CalibrationMethod
    public var calibrationSamples: Int
    public var dynamic: Bool

    public init(method: CalibrationMethod = .percentile(99.99), calibrationSamples: Int = 2048, dynamic: Bool = false) {
        self.method = method
        self.calibrationSamples = calibrationSamples
        self.dynamic = dynamic
    }

    public var name: String { "quantize" }

    public func apply(to model: any Layer, context: CompressionContext) throws -> any Layer {
        guard calibrationSamples > 0 else {
            throw CompressionError.invalidArgument(name: "quantize.calibration_samples", reason: "expected ≥ 1, got \(calibrationSamples)")
        }
        model.setTraining(false)
        if dynamic { return try DynamicQuantization.quantize(model) }
        return try PostTrainingQuantization.quantize(model, calibration: AnyDatasetBox(context.calibration), method: method,
                                                     maxSamples: calibrationSamples)
    }
}

/// `any Dataset` as a concrete `Dataset` (for generic APIs).
struct AnyDatasetBox: Dataset {
    let base: any Dataset
    init(_ base: any Dataset) { self.base = base }
    var count: Int { base.count }
    var featureShape: [Int] { base.featureShape }
    var classCount: Int { base.classCount }
    func label(at index: Int) -> Int32 { base.label(at: index) }
    func copyFeatures(at index: Int, into buffer: UnsafeMutableBufferPointer<Float>) { base.copyFeatures(at: index, into: buffer) }
}
