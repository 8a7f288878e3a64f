import HoneRandom

extension Tensor {
    /// A tensor of zeros.
    ///
    /// ```swift
    /// let z = Tensor.zeros([2, 3])
    /// ```
    public static func zeros(_ shape: [Int]) -> Tensor { full(shape, 0) }

    /// A tensor of ones.
    ///
    /// ```swift
    /// let o = Tensor.ones([4])
    /// ```
    public static func ones(_ shape: [Int]) -> Tensor { full(shape, 1) }

    /// A tensor with every element equal to `value`.
    ///
    /// ```swift
    /// let t = Tensor.full([2, 2], 0.5)
    /// ```
    public static func full(_ shape: [Int], _ value: Float) -> Tensor {
        Shape.validate(shape, op: "full")
        let n = Shape.count(shape)
        return Tensor(storage: TensorStorage(count: n, repeating: value), shape: shape,
                      strides: Shape.contiguousStrides(shape), offset: 0)
    }

    /// Zeros with the shape of `other`.
    ///
    /// ```swift
    /// let g = Tensor.zeros(like: w)
    /// ```
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }

    /// `[start, start + step, …]` below `end` (1-d), like `numpy.arange`.
    ///
    /// ```swift
    /// Tensor.arange(0, 1, step: 0.25).scalars   // [0, 0.25, 0.5, 0.75]
    /// ```
    public static func arange(_ start: Float, _ end: Float, step: Float = 1) -> Tensor {
        check(step != 0, "arange: step must be nonzero")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        let out = Tensor(uninitializedShape: [n])
        let p = out.base
        for i in 0..<n { p[i] = start + Float(i) * step }
        return out
    }

    /// `[0, 1, …, count − 1]`.
    ///
    /// ```swift
    /// Tensor.arange(3).scalars   // [0, 1, 2]
    /// ```
    public static func arange(_ count: Int) -> Tensor { arange(0, Float(count)) }

    /// The n×n identity matrix.
    ///
    /// ```swift
    /// let i = Tensor.eye(3)
    /// ```
    public static func eye(_ n: Int) -> Tensor {
        let t = zeros([n, n])
        let p = t.base
        for i in 0..<n { p[i * n + i] = 1 }
        return t
    }

    /// Uniform samples in `[low, high)` from `generator`, in row-major order: the same seed gives
    /// the same tensor on every run and machine (`low + (high − low)·u`, u from 24 random bits).
    ///
    /// ```swift
    /// var g = SeededGenerator(seed: 1)
    /// let w = Tensor.uniform(shape: [256, 784], low: -0.05, high: 0.05, generator: &g)
    /// ```
    public static func uniform(shape: [Int], low: Float = 0, high: Float = 1,
                               generator: inout SeededGenerator) -> Tensor {
        Shape.validate(shape, op: "uniform")
        check(low <= high, "uniform: low \(low) is greater than high \(high)")
        let out = Tensor(uninitializedShape: shape)
        let p = out.base
        let span = high - low
        for i in 0..<out.count { p[i] = low + span * generator.nextFloat() }
        return out
    }

    /// Normal samples with the given mean and standard deviation from `generator` (Box–Muller in
    /// Double, one value per draw, rounded to Float), in row-major order; reproducible per seed.
    ///
    /// ```swift
    /// var g = SeededGenerator(seed: 7)
    /// let noise = Tensor.normal(shape: [128, 10], mean: 0, std: 0.1, generator: &g)
    /// ```
    public static func normal(shape: [Int], mean: Float = 0, std: Float = 1,
                              generator: inout SeededGenerator) -> Tensor {
        Shape.validate(shape, op: "normal")
        check(std >= 0, "normal: std must be non-negative, got \(std)")
        let out = Tensor(uninitializedShape: shape)
        let p = out.base
        let m = Double(mean), s = Double(std)
        for i in 0..<out.count { p[i] = Float(generator.normal(mean: m, std: s)) }
        return out
    }
}
