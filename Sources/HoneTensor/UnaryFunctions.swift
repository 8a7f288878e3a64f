#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

// Forward scalar functions and their fused backward forms `(g, saved) -> g · f'`, where `saved`
// is the op's input or output (whichever makes the derivative cheapest).

struct NegF: UnaryFunction {
    init() {}
    func callAsFunction(_ x: Float) -> Float { -x }
}
struct NegBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ x: Float) -> Float { -g }
}
struct SqrtF: UnaryFunction {
    init() {}
    func callAsFunction(_ x: Float) -> Float { x.squareRoot() }
}
struct SqrtBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ y: Float) -> Float { g * 0.5 / y }
}
struct AbsF: UnaryFunction {
    init() {}
    func callAsFunction(_ x: Float) -> Float { Swift.abs(x) }
}
struct AbsBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) }
}
struct TanhBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ y: Float) -> Float { g * (1 - y * y) }
}
struct SigmoidF: UnaryFunction {
    init() {}
    func callAsFunction(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + expf(-x)) }
        let e = expf(x)
        return e / (1 + e)
    }
}
struct SigmoidBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y * (1 - y) }
}
struct ReluBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ y: Float) -> Float { y > 0 ? g : 0 }
}
struct LeakyReluF: UnaryFunction {
    let slope: Float
    init(_ slope: Float) { self.slope = slope }
    func callAsFunction(_ x: Float) -> Float { x > 0 ? x : slope * x }
}
struct LeakyReluBackF: BinaryFunction {
    let slope: Float
    init(_ slope: Float) { self.slope = slope }
    func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : slope * g }
}
struct EluF: UnaryFunction {
    let alpha: Float
    init(_ alpha: Float) { self.alpha = alpha }
    func callAsFunction(_ x: Float) -> Float { x > 0 ? x : alpha * expm1f(x) }
}
/// ELU backward from the output: x > 0 ⇔ y > 0 (α > 0), and α·eˣ = y + α.
struct EluBackF: BinaryFunction {
    let alpha: Float
    init(_ alpha: Float) { self.alpha = alpha }
    func callAsFunction(_ g: Float, _ y: Float) -> Float { y > 0 ? g : g * (y + alpha) }
}
/// d/dx x·Φ(x) = Φ(x) + x·φ(x).
struct GeluBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ x: Float) -> Float {
        let cdf = 0.5 * (1 + erff(x * 0.70710678118654752))
        let pdf = 0.39894228040143268 * expf(-0.5 * x * x)
        return g * (cdf + x * pdf)
    }
}
/// softplus(x) = log(1 + eˣ), linear above 20 as in PyTorch (threshold = 20, β = 1).
struct SoftplusF: UnaryFunction {
    init() {}
    func callAsFunction(_ x: Float) -> Float { x > 20 ? x : log1pf(expf(x)) }
}
struct SoftplusBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 20 ? g : g * SigmoidF()(x) }
}
struct SquareF: UnaryFunction {
    init() {}
    func callAsFunction(_ x: Float) -> Float { x * x }
}
struct SquareBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ x: Float) -> Float { 2 * x * g }
}
struct PowScalarF: UnaryFunction {
    let p: Float
    init(_ p: Float) { self.p = p }
    func callAsFunction(_ x: Float) -> Float { powf(x, p) }
}
struct PowScalarBackF: BinaryFunction {
    let p: Float
    init(_ p: Float) { self.p = p }
    func callAsFunction(_ g: Float, _ x: Float) -> Float { g * p * powf(x, p - 1) }
}
struct ClampF: UnaryFunction {
    let lo: Float, hi: Float
    init(_ lo: Float, _ hi: Float) { self.lo = lo; self.hi = hi }
    func callAsFunction(_ x: Float) -> Float { x < lo ? lo : (x > hi ? hi : x) }
}
struct ClampBackF: BinaryFunction {
    let lo: Float, hi: Float
    init(_ lo: Float, _ hi: Float) { self.lo = lo; self.hi = hi }
    func callAsFunction(_ g: Float, _ x: Float) -> Float { x >= lo && x <= hi ? g : 0 }
}
struct ExpBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y }
}
struct LogBackF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ x: Float) -> Float { g / x }
}
