import Testing
import HoneTensor
#if canImport(Glibc)
import Glibc
#endif

/// Finite-difference gradient checks of every elementwise op (see docs/tensor.md).
@Suite struct ElementwiseGradientTests {
    static let broadcastPairs: [[[Int]]] = [
        [[3, 4], [3, 4]], [[3, 4], [4]], [[2, 1, 3], [4, 1]], [[5], []], [[1, 3], [2, 1]],
    ]

    @Test(arguments: broadcastPairs) func add(_ shapes: [[Int]]) {
        checkBinary(shapes, op: { (a: Tensor, b: Tensor) -> Tensor in a + b }, reference: { (a: D, b: D) -> D in a + b })
    }

    @Test(arguments: broadcastPairs) func subtract(_ shapes: [[Int]]) {
        checkBinary(shapes, op: { (a: Tensor, b: Tensor) -> Tensor in a - b }, reference: { (a: D, b: D) -> D in a - b })
    }

    @Test(arguments: broadcastPairs) func multiply(_ shapes: [[Int]]) {
        checkBinary(shapes, op: { (a: Tensor, b: Tensor) -> Tensor in a * b }, reference: { (a: D, b: D) -> D in a * b })
    }

    @Test(arguments: broadcastPairs) func divide(_ shapes: [[Int]]) {
        checkBinary(shapes, domain: .positive, op: { (a: Tensor, b: Tensor) -> Tensor in a / b }, reference: { (a: D, b: D) -> D in a / b })
    }

    @Test(arguments: broadcastPairs) func power(_ shapes: [[Int]]) {
        checkBinary(shapes, domain: .positive, op: { (a: Tensor, b: Tensor) -> Tensor in a.pow(b) },
                    reference: { (a: D, b: D) -> D in D.zip(a, b) { (u: Double, v: Double) -> Double in Glibc.pow(u, v) } })
    }

    @Test(arguments: broadcastPairs) func maximumAndMinimum(_ shapes: [[Int]]) {
        checkBinary(shapes, op: { (a: Tensor, b: Tensor) -> Tensor in Tensor.maximum(a, b) },
                    reference: { (a: D, b: D) -> D in D.zip(a, b) { (u: Double, v: Double) -> Double in Swift.max(u, v) } })
        checkBinary(shapes, op: { (a: Tensor, b: Tensor) -> Tensor in Tensor.minimum(a, b) },
                    reference: { (a: D, b: D) -> D in D.zip(a, b) { (u: Double, v: Double) -> Double in Swift.min(u, v) } })
    }

    @Test func scalarOperands() {
        checkUnary([2, 3], op: { (x: Tensor) -> Tensor in
            let a: Tensor = 2 * x - 1
            return a + x / 4
        }, reference: { (x: D) -> D in x.map { (v: Double) -> Double in 2 * v - 1 + v / 4 } })
        checkUnary([4], domain: .positive, op: { (x: Tensor) -> Tensor in 1 / x },
                   reference: { (x: D) -> D in x.map { (v: Double) -> Double in 1 / v } })
    }

    @Test func where3() {
        let cond = Tensor(shape: [3, 1], scalars: [1, 0, 1])
        checkBinary([[3, 4], [4]], op: { (a: Tensor, b: Tensor) -> Tensor in Tensor.where(cond, a, b) },
                    reference: { (a: D, b: D) -> D in
            let picked = D.zip(D(cond), a) { (c: Double, v: Double) -> Double in c != 0 ? v : .nan }
            return D.zip(picked, b) { (u: Double, v: Double) -> Double in u.isNaN ? v : u }
        })
    }

    struct Unary: Sendable {
        var name: String
        var op: @Sendable (Tensor) -> Tensor
        var ref: @Sendable (Double) -> Double
        var domain: InputDomain
        init(_ name: String, _ op: @escaping @Sendable (Tensor) -> Tensor, _ ref: @escaping @Sendable (Double) -> Double,
             _ domain: InputDomain) {
            self.name = name; self.op = op; self.ref = ref; self.domain = domain
        }
    }
    static let unaries: [Unary] = [
        Unary("neg", { (t: Tensor) -> Tensor in -t }, { (v: Double) -> Double in -v }, .any),
        Unary("exp", { (t: Tensor) -> Tensor in t.exp() }, { (v: Double) -> Double in exp(v) }, .any),
        Unary("log", { (t: Tensor) -> Tensor in t.log() }, { (v: Double) -> Double in log(v) }, .positive),
        Unary("sqrt", { (t: Tensor) -> Tensor in t.sqrt() }, { (v: Double) -> Double in v.squareRoot() }, .positive),
        Unary("abs", { (t: Tensor) -> Tensor in t.abs() }, { (v: Double) -> Double in Swift.abs(v) }, .awayFromZero),
        Unary("square", { (t: Tensor) -> Tensor in t.square() }, { (v: Double) -> Double in v * v }, .any),
        Unary("pow3", { (t: Tensor) -> Tensor in t.pow(3) }, { (v: Double) -> Double in v * v * v }, .any),
        Unary("powHalf", { (t: Tensor) -> Tensor in t.pow(0.5) }, { (v: Double) -> Double in v.squareRoot() }, .positive),
        Unary("tanh", { (t: Tensor) -> Tensor in t.tanh() }, { (v: Double) -> Double in tanh(v) }, .any),
        Unary("sigmoid", { (t: Tensor) -> Tensor in t.sigmoid() }, { (v: Double) -> Double in 1 / (1 + exp(-v)) }, .any),
        Unary("relu", { (t: Tensor) -> Tensor in t.relu() }, { (v: Double) -> Double in max(v, 0) }, .awayFromZero),
        Unary("leakyRelu", { (t: Tensor) -> Tensor in t.leakyRelu(negativeSlope: 0.1) }, { (v: Double) -> Double in v > 0 ? v : 0.1 * v }, .awayFromZero),
        Unary("elu", { (t: Tensor) -> Tensor in t.elu(alpha: 1.5) }, { (v: Double) -> Double in v > 0 ? v : 1.5 * (exp(v) - 1) }, .awayFromZero),
        Unary("gelu", { (t: Tensor) -> Tensor in t.gelu() }, { (v: Double) -> Double in 0.5 * v * (1 + erf(v / 2.0.squareRoot())) }, .any),
        Unary("softplus", { (t: Tensor) -> Tensor in t.softplus() }, { (v: Double) -> Double in log1p(exp(v)) }, .any),
        Unary("clamp", { (t: Tensor) -> Tensor in t.clamped(min: -1, max: 0.5) }, { (v: Double) -> Double in min(max(v, -1), 0.5) }, .any),
    ]

    @Test(arguments: unaries.indices) func unary(_ i: Int) {
        let u = Self.unaries[i]
        // Kinks (clamp at −1 and 0.5) are hit with probability ~1e-6 by uniform inputs.
        let domain = u.domain
        checkUnary([3, 5], domain: domain, seed: UInt64(i + 10), op: u.op, reference: { (x: D) -> D in x.map(u.ref) })
        // Non-contiguous input (transposed view).
        checkUnary([5, 3], domain: domain, seed: UInt64(i + 100), op: { (x: Tensor) -> Tensor in u.op(x.transposed()) },
                   reference: { (x: D) -> D in x.permuted([1, 0]).map(u.ref) })
    }

    @Test func activationValues() {
        let x = Tensor([-30, -1, 0, 1, 30])
        expectClose(x.sigmoid().scalars, [9.357623e-14, 0.26894142, 0.5, 0.7310586, 1])
        expectClose(x.relu().scalars, [0, 0, 0, 1, 30])
        expectClose(x.softplus().scalars, [9.357623e-14, 0.31326169, 0.69314718, 1.3132616, 30])
        expectClose(x.gelu().scalars, [0, -0.15865526, 0, 0.8413447, 30])
        #expect(Tensor([100, -100]).sigmoid().scalars.allSatisfy { $0.isFinite })
    }
}
