struct GreaterF: BinaryFunction {
    init() {}
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 }
}
struct GreaterEqualF: BinaryFunction {
    init() {}
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 }
}
struct EqualF: BinaryFunction {
    init() {}
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 }
}
struct NotEqualF: BinaryFunction {
    init() {}
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a != b ? 1 : 0 }
}

extension Tensor {
    /// Elementwise `a > b` as a 0/1 mask (broadcasting; not differentiable, never tracked).
    ///
    /// ```swift
    /// let positive = x .> Tensor(0)
    /// ```
    public static func .> (a: Tensor, b: Tensor) -> Tensor { Elementwise.zip(a, b, GreaterF(), op: ".>") }
    /// Elementwise `a >= b` as a 0/1 mask.
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { Elementwise.zip(a, b, GreaterEqualF(), op: ".>=") }
    /// Elementwise `a < b` as a 0/1 mask.
    public static func .< (a: Tensor, b: Tensor) -> Tensor { Elementwise.zip(b, a, GreaterF(), op: ".<") }
    /// Elementwise `a <= b` as a 0/1 mask.
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { Elementwise.zip(b, a, GreaterEqualF(), op: ".<=") }
    /// Elementwise `a == b` as a 0/1 mask.
    public static func .== (a: Tensor, b: Tensor) -> Tensor { Elementwise.zip(a, b, EqualF(), op: ".==") }
    /// Elementwise `a != b` as a 0/1 mask.
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { Elementwise.zip(a, b, NotEqualF(), op: ".!=") }

    public static func .> (a: Tensor, b: Float) -> Tensor { a .> Tensor(b) }
    public static func .>= (a: Tensor, b: Float) -> Tensor { a .>= Tensor(b) }
    public static func .< (a: Tensor, b: Float) -> Tensor { a .< Tensor(b) }
    public static func .<= (a: Tensor, b: Float) -> Tensor { a .<= Tensor(b) }
    public static func .== (a: Tensor, b: Float) -> Tensor { a .== Tensor(b) }
    public static func .!= (a: Tensor, b: Float) -> Tensor { a .!= Tensor(b) }

    /// Picks `a` where `condition` is nonzero and `b` elsewhere (three-way broadcasting).
    /// Differentiable in `a` and `b`.
    ///
    /// ```swift
    /// let y = Tensor.where(x .> 0, x, 0.1 * x)
    /// ```
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        var out = Elementwise.select(condition, a, b)
        if isRecording(a, b) {
            let c = condition.detached(), sa = a.shape, sb = b.shape
            record("where", &out, [a, b]) { g, needs in
                let zero = Tensor(0)
                return [needs[0] ? Elementwise.select(c, g, zero).sumToShape(sa) : nil,
                        needs[1] ? Elementwise.select(c, zero, g).sumToShape(sb) : nil]
            }
        }
        return out
    }
}
