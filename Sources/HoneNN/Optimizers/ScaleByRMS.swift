/// RMSprop's direction (Hinton, Coursera lecture 6e; Graves arXiv:1308.0850 for the centered
/// form; PyTorch `torch.optim.RMSprop`):
///
///     v ← αv + (1−α)g²;  centered: ḡ ← αḡ + (1−α)g, d = √(v − ḡ²) + ε;  else d = √v + ε
///     momentum μ > 0: b ← μb + g/d, u = b;   else u = g/d
///
/// ```swift
/// let rms = chain(scaleByRMS(decay: 0.99, centered: true), scaleByLearningRate(1e-2))
/// ```
public final class ScaleByRMS: ElementwiseTransformation {
    public let decay: Float, epsilon: Float, centered: Bool, momentum: Float
    var v: StateBuffer?, mean: StateBuffer?, buffer: StateBuffer?

    public init(decay: Float = 0.99, epsilon: Float = 1e-8, centered: Bool = false, momentum: Float = 0) {
        precondition(decay >= 0 && decay < 1, "scaleByRMS: decay (alpha) must be in [0, 1), got \(decay)")
        self.decay = decay; self.epsilon = epsilon; self.centered = centered; self.momentum = momentum
    }

    public func initialize(_ parameters: [ParameterInfo]) {
        v = StateBuffer(parameters)
        if centered { mean = StateBuffer(parameters) }
        if momentum > 0 { buffer = StateBuffer(parameters) }
    }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        guard let v else { preconditionFailure("scaleByRMS: used before initialize(_:)") }
        let u = c.updates, pv = v.pointer(for: c), n = c.count
        let pg = mean?.pointer(for: c), pb = buffer?.pointer(for: c)
        // Specialized per variant so the hot loop has no branches.
        switch (pg, pb) {
        case (nil, nil): rms(u, pv, nil, n) { _, _, d, g in g / d }
        case let (pg?, nil): rms(u, pv, pg, n) { _, _, d, g in g / d }
        case let (nil, pb?): rms(u, pv, nil, n) { i, k, d, g in momentumStep(pb, i, k, d, g) }
        case let (pg?, pb?): rms(u, pv, pg, n) { i, k, d, g in momentumStep(pb, i, k, d, g) }
        }
    }

    /// `b ← μb + g/d` for lanes `i..<i+k` (k is 8, or 1 in the tail); returns b.
    @inline(__always) private func momentumStep(_ pb: UnsafeMutablePointer<Float>, _ i: Int, _ k: Int,
                                               _ d: Lanes, _ g: Lanes) -> Lanes {
        if k == Lanes.scalarCount {
            let b = Lanes(repeating: momentum) * pb.lanes(i) + g / d
            pb.setLanes(i, b)
            return b
        }
        let b = momentum * pb[i] + g[0] / d[0]
        pb[i] = b
        return Lanes(repeating: b)
    }

    /// RMSprop denominators: `d = √v + ε`, or centered with `pg` (ḡ) `d = √(v − ḡ²) + ε`;
    /// `out(i, k, d, g)` gives the update. Always inlined into call sites that pass `pg` as nil
    /// or not, so each variant's loop is compiled without a branch on it.
    @inline(__always) private func rms(_ u: UnsafeMutablePointer<Float>, _ pv: UnsafeMutablePointer<Float>,
                                       _ pg: UnsafeMutablePointer<Float>?, _ n: Int,
                                       _ out: (Int, Int, Lanes, Lanes) -> Lanes) {
        let a = Lanes(repeating: decay), b = Lanes(repeating: 1 - decay), eps = Lanes(repeating: epsilon)
        var i = 0
        while i + Lanes.scalarCount <= n {
            let g = u.lanes(i)
            var v = a * pv.lanes(i) + b * g * g
            pv.setLanes(i, v)
            if let pg {
                let m = a * pg.lanes(i) + b * g
                pg.setLanes(i, m)
                v -= m * m
            }
            u.setLanes(i, out(i, Lanes.scalarCount, squareRoot(v) + eps, g))
            i += Lanes.scalarCount
        }
        while i < n {
            let g = u[i]
            var v = decay * pv[i] + (1 - decay) * g * g
            pv[i] = v
            if let pg {
                let m = decay * pg[i] + (1 - decay) * g
                pg[i] = m
                v -= m * m
            }
            u[i] = out(i, 1, Lanes(repeating: v.squareRoot() + epsilon), Lanes(repeating: g))[0]
            i += 1
        }
    }
}

/// RMSprop's direction (see ``ScaleByRMS``).
public func scaleByRMS(decay: Float = 0.99, epsilon: Float = 1e-8, centered: Bool = false,
                       momentum: Float = 0) -> ScaleByRMS {
    ScaleByRMS(decay: decay, epsilon: epsilon, centered: centered, momentum: momentum)
}
