import HoneCompute

/// Watches a tensor's values during calibration and proposes its uint8 quantization
/// parameters. Calibration runs the float model once for `observeRange` and, when
/// `needsHistogram`, a second time for `observeHistogram` (with the range then fixed).
///
/// ```swift
/// var o: any CalibrationObserver = PercentileObserver(percentile: 99.99)
/// o.observeRange(values); o.observeHistogram(values)
/// let p = o.parameters()
/// ```
public protocol CalibrationObserver: Sendable {
    var needsHistogram: Bool { get }
    mutating func observeRange(_ values: UnsafeBufferPointer<Float>)
    mutating func observeHistogram(_ values: UnsafeBufferPointer<Float>)
    func parameters() -> QuantizationParameters
}

/// How calibration turns observed activations into quantization parameters.
public enum CalibrationMethod: Sendable, Equatable, CustomStringConvertible {
    /// The observed minimum and maximum (PyTorch's `MinMaxObserver`).
    case minMax
    /// Clip to the given percentile of the values (e.g. 99.99; the lower end mirrors it).
    case percentile(Double)
    /// The clipping range that minimizes the expected squared quantization error over the
    /// histogram (as TensorRT's / PyTorch's `HistogramObserver` MSE search).
    case mse

    public func makeObserver() -> any CalibrationObserver {
        switch self {
        case .minMax: return MinMaxObserver()
        case .percentile(let p): return PercentileObserver(percentile: p)
        case .mse: return MSEObserver()
        }
    }

    public var description: String {
        switch self {
        case .minMax: return "minmax"
        case .percentile(let p): return "percentile(\(p))"
        case .mse: return "mse"
        }
    }
}

/// Running min and max.
public struct MinMaxObserver: CalibrationObserver {
    public private(set) var low: Float = .infinity
    public private(set) var high: Float = -.infinity
    public init() {}
    public var needsHistogram: Bool { false }
    public mutating func observeRange(_ values: UnsafeBufferPointer<Float>) {
        guard let base = values.baseAddress, !values.isEmpty else { return }
        let (lo, hi) = QGEMM.minMax(base, count: values.count)
        low = min(low, lo); high = max(high, hi)
    }
    public mutating func observeHistogram(_ values: UnsafeBufferPointer<Float>) {}
    public func parameters() -> QuantizationParameters {
        low <= high ? QuantizationParameters(min: low, max: high) : QuantizationParameters(min: 0, max: 1)
    }
}

/// A fixed-range histogram (2048 bins over the observed range).
struct CalibrationHistogram: Sendable {
    var range = MinMaxObserver()
    var counts = [Double](repeating: 0, count: 2048)
    var lo: Float { min(range.low, 0) }
    var hi: Float { max(range.high, 0) }
    var width: Float { (hi - lo) / Float(counts.count) }

    mutating func add(_ values: UnsafeBufferPointer<Float>) {
        let lo = self.lo, w = width, n = counts.count
        guard w > 0 else { return }
        let inv = 1 / w
        counts.withUnsafeMutableBufferPointer { c in
            for v in values { c[min(n - 1, max(0, Int((v - lo) * inv)))] += 1 }
        }
    }

    /// The value below which `fraction` of the mass lies.
    func quantile(_ fraction: Double) -> Float {
        let total = counts.reduce(0, +)
        guard total > 0 else { return lo }
        var acc = 0.0
        for (i, c) in counts.enumerated() {
            acc += c
            if acc >= fraction * total { return lo + Float(i + 1) * width }
        }
        return hi
    }
}

/// Clips the range to a percentile of the observed values.
public struct PercentileObserver: CalibrationObserver {
    public let percentile: Double
    var histogram = CalibrationHistogram()
    public init(percentile: Double = 99.99) {
        precondition(percentile > 50 && percentile <= 100, "PercentileObserver: percentile must be in (50, 100], got \(percentile)")
        self.percentile = percentile
    }
    public var needsHistogram: Bool { true }
    public mutating func observeRange(_ values: UnsafeBufferPointer<Float>) { histogram.range.observeRange(values) }
    public mutating func observeHistogram(_ values: UnsafeBufferPointer<Float>) { histogram.add(values) }
    public func parameters() -> QuantizationParameters {
        let f = percentile / 100
        let hi = histogram.range.high > 0 ? histogram.quantile(f) : 0
        let lo = histogram.range.low < 0 ? histogram.quantile(1 - f) : 0
        return QuantizationParameters(min: min(lo, 0), max: max(hi, 0))
    }
}

/// Chooses the clipping range [α·min, α·max] (α on a grid in (0, 1]) that minimizes the
/// histogram-weighted squared error between values and their quantized reconstruction.
public struct MSEObserver: CalibrationObserver {
    var histogram = CalibrationHistogram()
    public init() {}
    public var needsHistogram: Bool { true }
    public mutating func observeRange(_ values: UnsafeBufferPointer<Float>) { histogram.range.observeRange(values) }
    public mutating func observeHistogram(_ values: UnsafeBufferPointer<Float>) { histogram.add(values) }
    public func parameters() -> QuantizationParameters {
        let h = histogram
        guard h.width > 0 else { return histogram.range.parameters() }
        var best = QuantizationParameters(min: h.lo, max: h.hi), bestError = Double.infinity
        for step in 1...100 {
            let alpha = Float(step) / 100
            let p = QuantizationParameters(min: alpha * h.lo, max: alpha * h.hi)
            var err = 0.0
            for (i, c) in h.counts.enumerated() where c > 0 {
                let x = h.lo + (Float(i) + 0.5) * h.width
                let d = Double(x - p.dequantize(p.quantize(x)))
                err += c * d * d
            }
            if err < bestError { bestError = err; best = p }
        }
        return best
    }
}
