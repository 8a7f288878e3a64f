import HoneCompute

extension Tensor {
    /// Like `unary`, with the forward computed by a vectorized `VectorMath` kernel over a
    /// contiguous copy of the input.
    static func unaryVectorized<B: BinaryFunction>(
        _ name: String, _ x: Tensor,
        _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
        _ back: B, saveOutput: Bool
    ) -> Tensor {
        let c = x.contiguousData()
        var out = Tensor(uninitializedShape: x.shape)
        if out.count > 0 { withExtendedLifetime(c) { kernel(c.base, out.base, c.count) } }
        if isRecording(x) {
            let saved = saveOutput ? out.detached() : x.detached()
            record(name, &out, [x]) { g, _ in [Elementwise.zip(g, saved, back, op: name + " backward")] }
        }
        return out
    }

    /// A recorded elementwise op; the backward is `back(g, saved)` with `saved` the output
    /// (`saveOutput`) or the input.
    static func unary<F: UnaryFunction, B: BinaryFunction>(
        _ name: String, _ x: Tensor, _ f: F, _ back: B, saveOutput: Bool
    ) -> Tensor {
        var out = Elementwise.map(x, f)
        if isRecording(x) {
            let saved = saveOutput ? out.detached() : x.detached()
            record(name, &out, [x]) { g, _ in [Elementwise.zip(g, saved, back, op: name + " backward")] }
        }
        return out
    }

    /// eˣ elementwise.
    ///
    /// ```swift
    /// Tensor([0, 1]).exp().scalars   // [1, 2.718…]
    /// ```
    public func exp() -> Tensor {
        Tensor.unaryVectorized("exp", self, { VectorMath.exp($0, $1, count: $2) }, ExpBackF(), saveOutput: true)
    }

    /// Natural logarithm elementwise.
    ///
    /// ```swift
    /// let l = p.log()
    /// ```
    public func log() -> Tensor {
        Tensor.unaryVectorized("log", self, { VectorMath.log($0, $1, count: $2) }, LogBackF(), saveOutput: false)
    }

    /// Square root elementwise.
    ///
    /// ```swift
    /// let s = v.sqrt()
    /// ```
    public func sqrt() -> Tensor { Tensor.unary("sqrt", self, SqrtF(), SqrtBackF(), saveOutput: true) }

    /// Absolute value elementwise (gradient 0 at 0).
    ///
    /// ```swift
    /// let l1 = (a - b).abs().sum()
    /// ```
    public func abs() -> Tensor { Tensor.unary("abs", self, AbsF(), AbsBackF(), saveOutput: false) }

    /// x² elementwise.
    ///
    /// ```swift
    /// let mse = (p - y).square().mean()
    /// ```
    public func square() -> Tensor { Tensor.unary("square", self, SquareF(), SquareBackF(), saveOutput: false) }

    /// xᵖ elementwise for a scalar exponent.
    ///
    /// ```swift
    /// let c = x.pow(3)
    /// ```
    public func pow(_ exponent: Float) -> Tensor {
        Tensor.unary("pow", self, PowScalarF(exponent), PowScalarBackF(exponent), saveOutput: false)
    }

    /// Hyperbolic tangent elementwise.
    ///
    /// ```swift
    /// let h = x.tanh()
    /// ```
    public func tanh() -> Tensor {
        Tensor.unaryVectorized("tanh", self, { VectorMath.tanh($0, $1, count: $2) }, TanhBackF(), saveOutput: true)
    }

    /// Logistic sigmoid 1/(1+e⁻ˣ), computed without overflow for large |x|.
    ///
    /// ```swift
    /// let p = logits.sigmoid()
    /// ```
    public func sigmoid() -> Tensor {
        Tensor.unaryVectorized("sigmoid", self, { VectorMath.sigmoid($0, $1, count: $2) }, SigmoidBackF(), saveOutput: true)
    }

    /// max(x, 0) elementwise (gradient 0 at 0).
    ///
    /// ```swift
    /// let h = x.matmul(w).relu()
    /// ```
    public func relu() -> Tensor {
        Tensor.unaryVectorized("relu", self, { VectorMath.relu($0, $1, count: $2) }, ReluBackF(), saveOutput: true)
    }

    /// x for x > 0, `negativeSlope`·x otherwise (PyTorch default slope 0.01).
    ///
    /// ```swift
    /// let h = x.leakyRelu(negativeSlope: 0.2)
    /// ```
    public func leakyRelu(negativeSlope: Float = 0.01) -> Tensor {
        Tensor.unary("leakyRelu", self, LeakyReluF(negativeSlope), LeakyReluBackF(negativeSlope), saveOutput: false)
    }

    /// ELU (Clevert et al. 2015): x for x > 0, α(eˣ − 1) otherwise. Requires α > 0.
    ///
    /// ```swift
    /// let h = x.elu()
    /// ```
    public func elu(alpha: Float = 1) -> Tensor {
        check(alpha > 0, "elu: alpha must be positive, got \(alpha)")
        return Tensor.unary("elu", self, EluF(alpha), EluBackF(alpha), saveOutput: true)
    }

    /// GELU, exact erf form x·Φ(x) (Hendrycks & Gimpel 2016), as PyTorch's default.
    ///
    /// ```swift
    /// let h = x.gelu()
    /// ```
    public func gelu() -> Tensor {
        Tensor.unaryVectorized("gelu", self, { VectorMath.gelu($0, $1, count: $2) }, GeluBackF(), saveOutput: false)
    }

    /// softplus(x) = log(1 + eˣ), linear for x > 20 (PyTorch's threshold).
    ///
    /// ```swift
    /// let s = x.softplus()
    /// ```
    public func softplus() -> Tensor { Tensor.unary("softplus", self, SoftplusF(), SoftplusBackF(), saveOutput: false) }

    /// Clamps every element into `[min, max]`; the gradient passes where min ≤ x ≤ max.
    ///
    /// ```swift
    /// let adv = (x + delta).clamped(min: 0, max: 1)
    /// ```
    public func clamped(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
        check(lo <= hi, "clamped: min \(lo) is greater than max \(hi)")
        return Tensor.unary("clamp", self, ClampF(lo, hi), ClampBackF(lo, hi), saveOutput: false)
    }
}
