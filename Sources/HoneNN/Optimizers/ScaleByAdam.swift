#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam's direction (Kingma & Ba, arXiv:1412.6980, Algorithm 1; PyTorch `torch.optim.Adam`):
///
///     m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²
///     u = m̂ / (√v̂ + ε),   m̂ = m/(1−β₁ᵗ),  √v̂ = √v/√(1−β₂ᵗ)
///
/// With `amsgrad` (Reddi et al., ICLR 2018), PyTorch's form: `vmax ← max(vmax, v)` and `vmax`
/// replaces `v` in the denominator. Follow with ``scaleByLearningRate(_:)``.
///
/// ```swift
/// let adamish = chain(scaleByAdam(beta1: 0.9, beta2: 0.999), scaleByLearningRate(1e-3))
/// ```
public final class ScaleByAdam: ElementwiseTransformation {
    public let beta1: Double, beta2: Double, epsilon: Double, amsgrad: Bool
    private var m: StateBuffer?, v: StateBuffer?, vMax: StateBuffer?

    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, amsgrad: Bool = false) {
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2),
                     "scaleByAdam: betas must be in [0, 1), got \(beta1), \(beta2)")
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.amsgrad = amsgrad
    }

    public func initialize(_ parameters: [ParameterInfo]) {
        m = StateBuffer(parameters); v = StateBuffer(parameters)
        if amsgrad { vMax = StateBuffer(parameters) }
    }

    /// First moments of parameter `index` (for checkpoints and tests).
    public func firstMoment(_ index: Int) -> [Float] { m?.values(index) ?? [] }
    /// Second moments of parameter `index`.
    public func secondMoment(_ index: Int) -> [Float] { v?.values(index) ?? [] }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        guard let m, let v else { preconditionFailure("scaleByAdam: used before initialize(_:)") }
        let t = Double(c.step)
        let b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
        let c1 = Float(1 / (1 - pow(beta1, t)))
        let c2 = Float(1 / pow(1 - pow(beta2, t), 0.5))
        let u = c.updates, pm = m.pointer(for: c), pv = v.pointer(for: c)
        let a1 = 1 - b1, a2 = 1 - b2, n = c.count
        let vb1 = Lanes(repeating: b1), va1 = Lanes(repeating: a1), vb2 = Lanes(repeating: b2)
        let va2 = Lanes(repeating: a2), vc1 = Lanes(repeating: c1), vc2 = Lanes(repeating: c2)
        let veps = Lanes(repeating: eps)
        var i = 0
        if let vMax {
            let px = vMax.pointer(for: c)
            while i + Lanes.scalarCount <= n {
                let g = u.lanes(i)
                let mi = vb1 * pm.lanes(i) + va1 * g, vi = vb2 * pv.lanes(i) + va2 * g * g
                let xi = pointwiseMax(px.lanes(i), vi)
                pm.setLanes(i, mi); pv.setLanes(i, vi); px.setLanes(i, xi)
                u.setLanes(i, (mi * vc1) / (squareRoot(xi) * vc2 + veps))
                i += Lanes.scalarCount
            }
            while i < n {
                let g = u[i]
                let mi = b1 * pm[i] + a1 * g, vi = b2 * pv[i] + a2 * g * g
                let xi = Swift.max(px[i], vi)
                pm[i] = mi; pv[i] = vi; px[i] = xi
                u[i] = (mi * c1) / (xi.squareRoot() * c2 + eps)
                i += 1
            }
        } else {
            while i + Lanes.scalarCount <= n {
                let g = u.lanes(i)
                let mi = vb1 * pm.lanes(i) + va1 * g, vi = vb2 * pv.lanes(i) + va2 * g * g
                pm.setLanes(i, mi); pv.setLanes(i, vi)
                u.setLanes(i, (mi * vc1) / (squareRoot(vi) * vc2 + veps))
                i += Lanes.scalarCount
            }
            while i < n {
                let g = u[i]
                let mi = b1 * pm[i] + a1 * g, vi = b2 * pv[i] + a2 * g * g
                pm[i] = mi; pv[i] = vi
                u[i] = (mi * c1) / (vi.squareRoot() * c2 + eps)
                i += 1
            }
        }
    }
}

/// Adam's direction (see ``ScaleByAdam``).
public func scaleByAdam(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                        amsgrad: Bool = false) -> ScaleByAdam {
    ScaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad)
}
