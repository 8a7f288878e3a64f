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
        checkGradient(shapes: shapes, op: { $0[0] + $0[1] }, reference: { $0[0] + $0[1] })
    }

    @Test(arguments: broadcastPairs) func subtract(_ shapes: [[Int]]) {
        checkGradient(shapes: shapes, op: { $0[0] - $0[1] }, reference: { $0[0] - $0[1] })
    }

    @Test(arguments: broadcastPairs) func multiply(_ shapes: [[Int]]) {
        checkGradient(shapes: shapes, op: { $0[0] * $0[1] }, reference: { $0[0] * $0[1] })
    }

    @Test(arguments: broadcastPairs) func divide(_ shapes: [[Int]]) {
        checkGradient(shapes: shapes, domain: .positive, op: { $0[0] / $0[1] }, reference: { $0[0] / $0[1] })
    }

    @Test(arguments: broadcastPairs) func power(_ shapes: [[Int]]) {
        checkGradient(shapes: shapes, domain: .positive, op: { $0[0].pow($0[1]) },
                      reference: { D.zip($0[0], $0[1]) { Glibc.pow($0, $1) } })
    }

    @Test(arguments: broadcastPairs) func maximumAndMinimum(_ shapes: [[Int]]) {
        checkGradient(shapes: shapes, op: { Tensor.maximum($0[0], $0[1]) }, reference: { D.zip($0[0], $0[1], max) })
        checkGradient(shapes: shapes, op: { Tensor.minimum($0[0], $0[1]) }, reference: { D.zip($0[0], $0[1], min) })
    }

    @Test func scalarOperands() {
        checkGradient(shapes: [[2, 3]], op: { 2 * $0[0] - 1 + $0[0] / 4 }, reference: {
            $0[0].map { 2 * $0 - 1 + $0 / 4 }
        })
        checkGradient(shapes: [[4]], domain: .positive, op: { 1 / $0[0] }, reference: { $0[0].map { 1 / $0 } })
    }

    @Test func where3() {
        let cond = Tensor(shape: [3, 1], scalars: [1, 0, 1])
        checkGradient(shapes: [[3, 4], [4]], op: { Tensor.where(cond, $0[0], $0[1]) }, reference: { x in
            D.zip(D.zip(D(cond), x[0]) { c, a in c != 0 ? a : .nan }, x[1]) { a, b in a.isNaN ? b : a }
        })
    }

    typealias Unary = (name: String, op: (Tensor) -> Tensor, ref: (Double) -> Double, domain: InputDomain)
    static let unaries: [Unary] = [
        ("neg", { -$0 }, { -$0 }, .any),
        ("exp", { $0.exp() }, { exp($0) }, .any),
        ("log", { $0.log() }, { log($0) }, .positive),
        ("sqrt", { $0.sqrt() }, { $0.squareRoot() }, .positive),
        ("abs", { $0.abs() }, { Swift.abs($0) }, .awayFromZero),
        ("square", { $0.square() }, { $0 * $0 }, .any),
        ("pow3", { $0.pow(3) }, { $0 * $0 * $0 }, .any),
        ("powHalf", { $0.pow(0.5) }, { $0.squareRoot() }, .positive),
        ("tanh", { $0.tanh() }, { tanh($0) }, .any),
        ("sigmoid", { $0.sigmoid() }, { 1 / (1 + exp(-$0)) }, .any),
        ("relu", { $0.relu() }, { max($0, 0) }, .awayFromZero),
        ("leakyRelu", { $0.leakyRelu(negativeSlope: 0.1) }, { $0 > 0 ? $0 : 0.1 * $0 }, .awayFromZero),
        ("elu", { $0.elu(alpha: 1.5) }, { $0 > 0 ? $0 : 1.5 * (exp($0) - 1) }, .awayFromZero),
        ("gelu", { $0.gelu() }, { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) }, .any),
        ("softplus", { $0.softplus() }, { log1p(exp($0)) }, .any),
        ("clamp", { $0.clamped(min: -1, max: 0.5) }, { min(max($0, -1), 0.5) }, .any),
    ]

    @Test(arguments: unaries.indices) func unary(_ i: Int) {
        let u = Self.unaries[i]
        // Kinks (clamp at −1 and 0.5) are hit with probability ~1e-6 by uniform inputs.
        let domain = u.domain
        checkGradient(shapes: [[3, 5]], domain: domain, seed: UInt64(i + 10), op: { u.op($0[0]) },
                      reference: { $0[0].map(u.ref) })
        // Non-contiguous input (transposed view).
        checkGradient(shapes: [[5, 3]], domain: domain, seed: UInt64(i + 100),
                      op: { u.op($0[0].transposed()) }, reference: { $0[0].permuted([1, 0]).map(u.ref) })
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
