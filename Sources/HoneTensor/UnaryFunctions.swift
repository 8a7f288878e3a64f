#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

// Forward scalar functions and their fused backward forms `(g, saved) -> g · f'`, where `saved`
// is the op's input or output (whichever makes the derivative cheapest).

@usableFromInline struct NegF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float { -x }
}
@usableFromInline struct NegBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ x: Float) -> Float { -g }
}
@usableFromInline struct ExpF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float { expf(x) }
}
@usableFromInline struct LogF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float { logf(x) }
}
@usableFromInline struct SqrtF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float { x.squareRoot() }
}
@usableFromInline struct SqrtBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ y: Float) -> Float { g * 0.5 / y }
}
@usableFromInline struct AbsF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float { Swift.abs(x) }
}
@usableFromInline struct AbsBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) }
}
@usableFromInline struct TanhF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float { tanhf(x) }
}
@usableFromInline struct TanhBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ y: Float) -> Float { g * (1 - y * y) }
}
@usableFromInline struct SigmoidF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + expf(-x)) }
        let e = expf(x)
        return e / (1 + e)
    }
}
@usableFromInline struct SigmoidBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y * (1 - y) }
}
@usableFromInline struct ReluF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float { x > 0 ? x : 0 }
}
@usableFromInline struct ReluBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ y: Float) -> Float { y > 0 ? g : 0 }
}
@usableFromInline struct LeakyReluF: UnaryFunction {
    @usableFromInline let slope: Float
    @inlinable init(_ slope: Float) { self.slope = slope }
    @inlinable func callAsFunction(_ x: Float) -> Float { x > 0 ? x : slope * x }
}
@usableFromInline struct LeakyReluBackF: BinaryFunction {
    @usableFromInline let slope: Float
    @inlinable init(_ slope: Float) { self.slope = slope }
    @inlinable func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 0 ? g : slope * g }
}
@usableFromInline struct EluF: UnaryFunction {
    @usableFromInline let alpha: Float
    @inlinable init(_ alpha: Float) { self.alpha = alpha }
    @inlinable func callAsFunction(_ x: Float) -> Float { x > 0 ? x : alpha * expm1f(x) }
}
/// ELU backward from the output: x > 0 ⇔ y > 0 (α > 0), and α·eˣ = y + α.
@usableFromInline struct EluBackF: BinaryFunction {
    @usableFromInline let alpha: Float
    @inlinable init(_ alpha: Float) { self.alpha = alpha }
    @inlinable func callAsFunction(_ g: Float, _ y: Float) -> Float { y > 0 ? g : g * (y + alpha) }
}
/// GELU, exact form x·Φ(x) = ½x(1 + erf(x/√2)) (Hendrycks & Gimpel 2016; PyTorch's default).
@usableFromInline struct GeluF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float { 0.5 * x * (1 + erff(x * 0.70710678118654752)) }
}
/// d/dx x·Φ(x) = Φ(x) + x·φ(x).
@usableFromInline struct GeluBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ x: Float) -> Float {
        let cdf = 0.5 * (1 + erff(x * 0.70710678118654752))
        let pdf = 0.39894228040143268 * expf(-0.5 * x * x)
        return g * (cdf + x * pdf)
    }
}
/// softplus(x) = log(1 + eˣ), linear above 20 as in PyTorch (threshold = 20, β = 1).
@usableFromInline struct SoftplusF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float { x > 20 ? x : log1pf(expf(x)) }
}
@usableFromInline struct SoftplusBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ x: Float) -> Float { x > 20 ? g : g * SigmoidF()(x) }
}
@usableFromInline struct SquareF: UnaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ x: Float) -> Float { x * x }
}
@usableFromInline struct SquareBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ x: Float) -> Float { 2 * x * g }
}
@usableFromInline struct PowScalarF: UnaryFunction {
    @usableFromInline let p: Float
    @inlinable init(_ p: Float) { self.p = p }
    @inlinable func callAsFunction(_ x: Float) -> Float { powf(x, p) }
}
@usableFromInline struct PowScalarBackF: BinaryFunction {
    @usableFromInline let p: Float
    @inlinable init(_ p: Float) { self.p = p }
    @inlinable func callAsFunction(_ g: Float, _ x: Float) -> Float { g * p * powf(x, p - 1) }
}
@usableFromInline struct ClampF: UnaryFunction {
    @usableFromInline let lo: Float, hi: Float
    @inlinable init(_ lo: Float, _ hi: Float) { self.lo = lo; self.hi = hi }
    @inlinable func callAsFunction(_ x: Float) -> Float { x < lo ? lo : (x > hi ? hi : x) }
}
@usableFromInline struct ClampBackF: BinaryFunction {
    @usableFromInline let lo: Float, hi: Float
    @inlinable init(_ lo: Float, _ hi: Float) { self.lo = lo; self.hi = hi }
    @inlinable func callAsFunction(_ g: Float, _ x: Float) -> Float { x >= lo && x <= hi ? g : 0 }
}
@usableFromInline struct ExpBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ y: Float) -> Float { g * y }
}
@usableFromInline struct LogBackF: BinaryFunction {
    @inlinable init() {}
    @inlinable func callAsFunction(_ g: Float, _ x: Float) -> Float { g / x }
}
