/// Clamps every update to `[−limit, limit]` (PyTorch `clip_grad_value_`, Optax `clip`).
///
/// ```swift
/// let opt = chain(clipByValue(0.5), sgd(learningRate: 0.1))
/// ```
public final class ClipByValue: ElementwiseTransformation {
    public let limit: Float
    public init(_ limit: Float) {
        precondition(limit > 0, "clipByValue: limit must be > 0, got \(limit)")
        self.limit = limit
    }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        let u = c.updates, hi = limit, lo = -limit
        for i in 0..<c.count { u[i] = Swift.min(Swift.max(u[i], lo), hi) }
    }
}

/// Clamps every update to `[−limit, limit]` (see ``ClipByValue``).
public func clipByValue(_ limit: Float) -> ClipByValue { ClipByValue(limit) }

/// Rescales all updates together when their global L2 norm `‖u‖ = √Σ‖uᵢ‖²` exceeds
/// `maxNorm` (Pascanu et al., arXiv:1211.5063). Matches PyTorch `clip_grad_norm_`: the factor
/// is `min(1, maxNorm / (‖u‖ + 1e-6))`. The norm is summed in Double, chunk by chunk in a
/// fixed order, so it does not depend on the thread count.
///
/// ```swift
/// let opt = chain(clipByGlobalNorm(1.0), adam(learningRate: 1e-3))
/// ```
public final class ClipByGlobalNorm: ElementwiseTransformation {
    public let maxNorm: Double
    /// The global norm measured at the last step (before clipping).
    public private(set) var lastNorm: Double = 0
    private var factor: Float = 1

    public init(_ maxNorm: Double) {
        precondition(maxNorm > 0, "clipByGlobalNorm: maxNorm must be > 0, got \(maxNorm)")
        self.maxNorm = maxNorm
    }

    public var needsPrepare: Bool { true }

    public func prepare(_ batch: UpdateBatch, context: StepContext) {
        let sq = batch.sum { c in sumOfSquares(c.updates, c.count) }
        lastNorm = sq.squareRoot()
        factor = Float(Swift.min(1, maxNorm / (lastNorm + 1e-6)))
    }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        let f = factor
        if f == 1 { return }
        let u = c.updates
        for i in 0..<c.count { u[i] *= f }
    }
}

/// Rescales updates to a global L2 norm of at most `maxNorm` (see ``ClipByGlobalNorm``).
public func clipByGlobalNorm(_ maxNorm: Double) -> ClipByGlobalNorm { ClipByGlobalNorm(maxNorm) }

/// `Σ xᵢ²` of one chunk: 16 Float lanes (a chunk is at most 2048 elements, so Float partial
/// sums lose nothing that matters), combined in Double.
func sumOfSquares(_ p: UnsafePointer<Float>, _ n: Int) -> Double {
    var acc = SIMD16<Float>(repeating: 0)
    var i = 0
    let raw = UnsafeRawPointer(p)
    while i + 16 <= n {
        let x = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
        acc += x * x
        i += 16
    }
    var s: Double = 0
    for l in 0..<16 { s += Double(acc[l]) }
    while i < n { let x = Double(p[i]); s += x * x; i += 1 }
    return s
}
