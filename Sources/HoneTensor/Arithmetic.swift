#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
import HoneCompute

struct AddF: BinaryFunction {
    init() {}
    var arithmetic: Arithmetic? { .add }
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b }
}
struct SubF: BinaryFunction {
    init() {}
    var arithmetic: Arithmetic? { .subtract }
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b }
}
struct MulF: BinaryFunction {
    init() {}
    var arithmetic: Arithmetic? { .multiply }
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b }
}
struct DivF: BinaryFunction {
    init() {}
    var arithmetic: Arithmetic? { .divide }
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b }
}
struct PowF: BinaryFunction {
    init() {}
    func callAsFunction(_ a: Float, _ b: Float) -> Float { powf(a, b) }
}
struct MaxF: BinaryFunction {
    init() {}
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a.isNaN || a >= b ? a : b }
}
struct MinF: BinaryFunction {
    init() {}
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a.isNaN || a <= b ? a : b }
}
/// Share of the gradient of max(a, b) that goes to `a` (ties split evenly).
struct MaxShareF: BinaryFunction {
    init() {}
    func callAsFunction(_ a: Float, _ b: Float) -> Float { a > b ? 1 : (a == b ? 0.5 : 0) }
}
/// ∂(a/b)/∂b · g = −(g/b)·(a/b), from (g/b, a/b).
struct NegMulF: BinaryFunction {
    init() {}
    func callAsFunction(_ a: Float, _ b: Float) -> Float { -(a * b) }
}
/// log(a) guarded for the pow gradient with respect to the exponent (0 where a ≤ 0 gives 0·∞).
struct MulLogF: BinaryFunction {
    init() {}
    func callAsFunction(_ g: Float, _ a: Float) -> Float { g == 0 ? 0 : g * logf(a) }
}

extension Tensor {
    /// Sums a broadcast gradient back to `target` (the shape before broadcasting).
    func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        check(lead >= 0, "sumToShape: \(shape) cannot reduce to \(target)")
        var axes = Array(0..<lead)
        for i in 0..<target.count where target[i] == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        let r = axes.isEmpty ? self : Reduce.reduce(self, axes: axes, SumReduce())
        return r.contiguousData().viewReshaped(target)
    }

    /// A recorded binary op with broadcasting.
    static func binary<F: BinaryFunction>(
        _ name: String, _ a: Tensor, _ b: Tensor, _ f: F,
        _ backward: @escaping (_ g: Tensor, _ needs: [Bool], _ out: Tensor) -> [Tensor?]
    ) -> Tensor {
        var out = Elementwise.zip(a, b, f, op: name)
        if isRecording(a, b) {
            let y = out.detached()
            record(name, &out, [a, b]) { g, needs in backward(g, needs, y) }
        }
        return out
    }

    /// Elementwise sum with broadcasting.
    ///
    /// ```swift
    /// let y = x + bias   // [N, C] + [C]
    /// ```
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let sa = a.shape, sb = b.shape
        return binary("add", a, b, AddF()) { g, needs, _ in
            [needs[0] ? g.sumToShape(sa) : nil, needs[1] ? g.sumToShape(sb) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    ///
    /// ```swift
    /// let d = prediction - target
    /// ```
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let sa = a.shape, sb = b.shape
        return binary("sub", a, b, SubF()) { g, needs, _ in
            [needs[0] ? g.sumToShape(sa) : nil, needs[1] ? (-g).sumToShape(sb) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    ///
    /// ```swift
    /// let masked = x * mask
    /// ```
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let ad = a.detached(), bd = b.detached()
        return binary("mul", a, b, MulF()) { g, needs, _ in
            [needs[0] ? Elementwise.zip(g, bd, MulF(), op: "mul backward").sumToShape(ad.shape) : nil,
             needs[1] ? Elementwise.zip(g, ad, MulF(), op: "mul backward").sumToShape(bd.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    ///
    /// ```swift
    /// let normalized = x / std
    /// ```
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let sa = a.shape, bd = b.detached()
        return binary("div", a, b, DivF()) { g, needs, y in
            let ga = Elementwise.zip(g, bd, DivF(), op: "div backward")
            return [needs[0] ? ga.sumToShape(sa) : nil,
                    needs[1] ? Elementwise.zip(ga, y, NegMulF(), op: "div backward").sumToShape(bd.shape) : nil]
        }
    }

    /// Negation.
    ///
    /// ```swift
    /// let m = -x
    /// ```
    public static prefix func - (x: Tensor) -> Tensor {
        unary("neg", x, NegF(), NegBackF(), saveOutput: false)
    }

    public static func + (a: Tensor, b: Float) -> Tensor { a + Tensor(b) }
    public static func + (a: Float, b: Tensor) -> Tensor { Tensor(a) + b }
    public static func - (a: Tensor, b: Float) -> Tensor { a - Tensor(b) }
    public static func - (a: Float, b: Tensor) -> Tensor { Tensor(a) - b }
    public static func * (a: Tensor, b: Float) -> Tensor { a * Tensor(b) }
    public static func * (a: Float, b: Tensor) -> Tensor { Tensor(a) * b }
    public static func / (a: Tensor, b: Float) -> Tensor { a * Tensor(1 / b) }
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(a) / b }

    /// Elementwise power with broadcasting (`a` should be positive where `b` is not an integer).
    ///
    /// ```swift
    /// let y = x.pow(Tensor([2, 3]))
    /// ```
    public func pow(_ exponent: Tensor) -> Tensor {
        let ad = detached(), bd = exponent.detached()
        return Tensor.binary("pow", self, exponent, PowF()) { g, needs, y in
            var ga: Tensor? = nil, gb: Tensor? = nil
            if needs[0] {
                // g · b · a^(b−1)
                let e = Elementwise.zip(bd, Tensor(1), SubF(), op: "pow backward")
                ga = (g * bd * Elementwise.zip(ad, e, PowF(), op: "pow backward")).sumToShape(ad.shape)
            }
            if needs[1] {
                gb = Elementwise.zip(g * y, ad, MulLogF(), op: "pow backward").sumToShape(bd.shape)
            }
            return [ga, gb]
        }
    }

    /// Elementwise maximum of two tensors with broadcasting (gradient split evenly on ties).
    ///
    /// ```swift
    /// let y = Tensor.maximum(a, b)
    /// ```
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let ad = a.detached(), bd = b.detached()
        return binary("maximum", a, b, MaxF()) { g, needs, _ in
            let share = Elementwise.zip(ad, bd, MaxShareF(), op: "maximum backward")
            return [needs[0] ? (g * share).sumToShape(ad.shape) : nil,
                    needs[1] ? (g * (1 - share)).sumToShape(bd.shape) : nil]
        }
    }

    /// Elementwise minimum of two tensors with broadcasting (gradient split evenly on ties).
    ///
    /// ```swift
    /// let y = Tensor.minimum(a, b)
    /// ```
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let ad = a.detached(), bd = b.detached()
        return binary("minimum", a, b, MinF()) { g, needs, _ in
            let share = Elementwise.zip(bd, ad, MaxShareF(), op: "minimum backward")
            return [needs[0] ? (g * share).sumToShape(ad.shape) : nil,
                    needs[1] ? (g * (1 - share)).sumToShape(bd.shape) : nil]
        }
    }
}

// MARK: - In-place updates

extension Tensor {
    /// `self += other` without taping (internal: gradient accumulation). Writes in place when
    /// the buffer is uniquely owned and contiguous; otherwise allocates the sum.
    mutating func addAssignNoTape(_ other: Tensor) {
        if isKnownUniquelyReferenced(&storage) && isContiguous && storage.count == count {
            Elementwise.zipInPlace(&self, other, AddF(), op: "add")
        } else {
            let n = node
            self = Elementwise.zip(self, other, AddF(), op: "add")
            node = n
        }
    }

    /// In-place form of a binary op. A leaf or untracked `lhs` is updated in place and keeps its
    /// autodiff identity (parameter updates); a tracked intermediate result, or a tracked `rhs`
    /// while recording, is replaced by the recorded out-of-place result.
    static func compound<F: BinaryFunction>(_ lhs: inout Tensor, _ rhs: Tensor, _ f: F, op: String,
                                                       _ outOfPlace: (Tensor, Tensor) -> Tensor) {
        let recorded = GradMode.isEnabled && ((lhs.node.map { !$0.isLeaf } ?? false) || rhs.node != nil)
        if recorded { lhs = outOfPlace(lhs, rhs); return }
        Elementwise.zipInPlace(&lhs, rhs, f, op: op)
    }

    /// Adds `rhs` (broadcast to `lhs`'s shape) in place.
    ///
    /// ```swift
    /// withoutGradient { w -= 0.1 * w.grad! }
    /// ```
    public static func += (lhs: inout Tensor, rhs: Tensor) { compound(&lhs, rhs, AddF(), op: "+=", +) }
    public static func -= (lhs: inout Tensor, rhs: Tensor) { compound(&lhs, rhs, SubF(), op: "-=", -) }
    public static func *= (lhs: inout Tensor, rhs: Tensor) { compound(&lhs, rhs, MulF(), op: "*=", *) }
    public static func /= (lhs: inout Tensor, rhs: Tensor) { compound(&lhs, rhs, DivF(), op: "/=", /) }
    public static func += (lhs: inout Tensor, rhs: Float) { lhs += Tensor(rhs) }
    public static func -= (lhs: inout Tensor, rhs: Float) { lhs -= Tensor(rhs) }
    public static func *= (lhs: inout Tensor, rhs: Float) { lhs *= Tensor(rhs) }
    public static func /= (lhs: inout Tensor, rhs: Float) { lhs *= Tensor(1 / rhs) }
}
