import Testing
import HoneRandom
import HoneTensor

/// A tiny, independent Double n-d array used as the reference for Hone's Float ops.
struct D {
    var shape: [Int]
    var data: [Double]

    init(_ shape: [Int], _ data: [Double]) {
        precondition(data.count == shape.reduce(1, *))
        self.shape = shape; self.data = data
    }
    init(_ t: Tensor) { self.init(t.shape, t.scalars.map(Double.init)) }
    init(scalar: Double) { self.init([], [scalar]) }

    var count: Int { data.count }
    static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) { s[d] = acc; acc *= shape[d] }
        return s
    }
    static func index(_ flat: Int, _ shape: [Int]) -> [Int] {
        var r = flat
        var idx = [Int](repeating: 0, count: shape.count)
        for d in stride(from: shape.count - 1, through: 0, by: -1) { idx[d] = r % shape[d]; r /= shape[d] }
        return idx
    }
    func at(_ idx: [Int]) -> Double {
        let st = D.strides(shape)
        var o = 0
        for d in 0..<idx.count { o += idx[d] * st[d] }
        return data[o]
    }

    func map(_ f: (Double) -> Double) -> D { D(shape, data.map(f)) }

    static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
        let n = max(a.count, b.count)
        return (0..<n).map { i in
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            return max(da, db)
        }
    }
    /// Value of this array at an index of a broadcast shape.
    func broadcastAt(_ idx: [Int]) -> Double {
        let lead = idx.count - shape.count
        return at((0..<shape.count).map { shape[$0] == 1 ? 0 : idx[lead + $0] })
    }
    static func zip(_ a: D, _ b: D, _ f: (Double, Double) -> Double) -> D {
        let s = broadcastShape(a.shape, b.shape)
        let n = s.reduce(1, *)
        return D(s, (0..<n).map { i in let idx = index(i, s); return f(a.broadcastAt(idx), b.broadcastAt(idx)) })
    }
    static func + (a: D, b: D) -> D { zip(a, b, +) }
    static func - (a: D, b: D) -> D { zip(a, b, -) }
    static func * (a: D, b: D) -> D { zip(a, b, *) }
    static func / (a: D, b: D) -> D { zip(a, b, /) }

    /// Reduction over `axes` with `f`, starting from `initial`.
    func reduce(_ axes: [Int], keepDims: Bool, initial: Double, _ f: (Double, Double) -> Double) -> D {
        let ax = Set(axes.map { $0 < 0 ? $0 + shape.count : $0 })
        let kept = shape.enumerated().map { ax.contains($0.offset) ? 1 : $0.element }
        var out = [Double](repeating: initial, count: kept.reduce(1, *))
        let ks = D.strides(kept)
        for i in 0..<count {
            let idx = D.index(i, shape)
            var o = 0
            for d in 0..<shape.count where !ax.contains(d) { o += idx[d] * ks[d] }
            out[o] = f(out[o], data[i])
        }
        let finalShape = keepDims ? kept : shape.enumerated().filter { !ax.contains($0.offset) }.map(\.element)
        return D(finalShape, out)
    }
    func sum(_ axes: [Int], keepDims: Bool = false) -> D { reduce(axes, keepDims: keepDims, initial: 0, +) }

    func permuted(_ order: [Int]) -> D {
        let ns = order.map { shape[$0] }
        return D(ns, (0..<count).map { i in
            let oi = D.index(i, ns)
            var src = [Int](repeating: 0, count: shape.count)
            for (k, o) in order.enumerated() { src[o] = oi[k] }
            return at(src)
        })
    }

    /// Batched matmul with broadcast batch dims (both rank ≥ 2).
    static func matmul(_ a: D, _ b: D) -> D {
        let m = a.shape[a.shape.count - 2], k = a.shape.last!, n = b.shape.last!
        let batch = broadcastShape(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)))
        let bc = batch.reduce(1, *)
        var out = [Double](repeating: 0, count: bc * m * n)
        for bi in 0..<bc {
            let bidx = index(bi, batch)
            for i in 0..<m { for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += a.broadcastAt(bidx + [i, p]) * b.broadcastAt(bidx + [p, j]) }
                out[(bi * m + i) * n + j] = s
            } }
        }
        return D(batch + [m, n], out)
    }

    /// Softmax or log-softmax over the last axis.
    func softmaxLast(log: Bool) -> D {
        let c = shape.last!
        var out = data
        for r in 0..<(count / c) {
            let row = Array(data[(r * c)..<((r + 1) * c)])
            let m = row.max()!
            let lse = m + Foundation_log(row.map { Foundation_exp($0 - m) }.reduce(0, +))
            for j in 0..<c { out[r * c + j] = log ? row[j] - lse : Foundation_exp(row[j] - lse) }
        }
        return D(shape, out)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
func Foundation_exp(_ x: Double) -> Double { exp(x) }
func Foundation_log(_ x: Double) -> Double { log(x) }

/// What the random inputs of a gradient check look like.
enum InputDomain {
    case any           // uniform in [-2, 2]
    case positive      // uniform in [0.5, 2]
    case awayFromZero  // |x| in [0.2, 2] (ops with a kink at 0)
}

/// Checks a Hone op against a Double reference: forward values, and analytic gradients
/// (through `backward()`) against central finite differences of the reference in Double.
/// The scalar loss is Σ w ⊙ op(x) with random weights w so every output element matters.
func checkGradient(
    shapes: [[Int]], domain: InputDomain = .any, seed: UInt64 = 1,
    forwardTolerance: Double = 1e-4, relTolerance: Double = 1e-3, absTolerance: Double = 1e-4,
    op: ([Tensor]) -> Tensor, reference: ([D]) -> D,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var g = SeededGenerator(seed: seed)
    let inputs: [Tensor] = shapes.map { s in
        var t = Tensor.uniform(shape: s, low: -2, high: 2, generator: &g)
        switch domain {
        case .any: break
        case .positive: t = Tensor.uniform(shape: s, low: 0.5, high: 2, generator: &g)
        case .awayFromZero:
            let mag = Tensor.uniform(shape: s, low: 0.2, high: 2, generator: &g)
            let sign = Tensor.uniform(shape: s, low: 0, high: 1, generator: &g) .> 0.5
            t = mag * (sign * 2 - 1)
        }
        return t.requiringGrad()
    }
    let y = op(inputs)
    let dInputs = inputs.map { D($0) }
    let ref = reference(dInputs)
    #expect(y.shape == ref.shape, "forward shape \(y.shape) vs reference \(ref.shape)", sourceLocation: sourceLocation)
    guard y.shape == ref.shape else { return }
    var worstForward = 0.0
    for (a, b) in zip(y.scalars, ref.data) {
        worstForward = max(worstForward, abs(Double(a) - b) / max(1, abs(b)))
    }
    #expect(worstForward <= forwardTolerance, "forward mismatch \(worstForward)", sourceLocation: sourceLocation)

    let w = Tensor.uniform(shape: y.shape, low: -1, high: 1, generator: &g)
    let dw = D(w)
    (y * w).sum().backward()
    func loss(_ xs: [D]) -> Double {
        let r = reference(xs)
        var s = 0.0
        for i in 0..<r.count { s += r.data[i] * dw.data[i] }
        return s
    }
    let h = 1e-6
    for (i, x) in inputs.enumerated() {
        guard let grad = x.grad else {
            Issue.record("input \(i): no gradient", sourceLocation: sourceLocation)
            continue
        }
        #expect(grad.shape == x.shape, sourceLocation: sourceLocation)
        let analytic = grad.scalars
        var xs = dInputs
        for j in 0..<x.count {
            let orig = xs[i].data[j]
            xs[i].data[j] = orig + h
            let lp = loss(xs)
            xs[i].data[j] = orig - h
            let lm = loss(xs)
            xs[i].data[j] = orig
            let numeric = (lp - lm) / (2 * h)
            let err = abs(Double(analytic[j]) - numeric)
            #expect(err <= absTolerance + relTolerance * abs(numeric),
                    "input \(i) element \(j): analytic \(analytic[j]) vs numeric \(numeric)",
                    sourceLocation: sourceLocation)
            if err > absTolerance + relTolerance * abs(numeric) { return }
        }
    }
}

/// Asserts two float arrays agree elementwise within `tol` (absolute + relative).
func expectClose(_ a: [Float], _ b: [Float], tol: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "count \(a.count) vs \(b.count)", sourceLocation: sourceLocation)
    for (i, (x, y)) in zip(a, b).enumerated() where !(abs(x - y) <= tol * (1 + abs(y))) {
        Issue.record("element \(i): \(x) vs \(y)", sourceLocation: sourceLocation)
        return
    }
}

/// `checkGradient` for a two-input op (keeps call sites short and quick to type-check).
func checkBinary(_ shapes: [[Int]], domain: InputDomain = .any, seed: UInt64 = 1,
                 op: @escaping (Tensor, Tensor) -> Tensor, reference: @escaping (D, D) -> D,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    checkGradient(shapes: shapes, domain: domain, seed: seed, op: { (x: [Tensor]) -> Tensor in op(x[0], x[1]) },
                  reference: { (x: [D]) -> D in reference(x[0], x[1]) }, sourceLocation: sourceLocation)
}

/// `checkGradient` for a one-input op.
func checkUnary(_ shape: [Int], domain: InputDomain = .any, seed: UInt64 = 1,
                op: @escaping (Tensor) -> Tensor, reference: @escaping (D) -> D,
                sourceLocation: SourceLocation = #_sourceLocation) {
    checkGradient(shapes: [shape], domain: domain, seed: seed, op: { (x: [Tensor]) -> Tensor in op(x[0]) },
                  reference: { (x: [D]) -> D in reference(x[0]) }, sourceLocation: sourceLocation)
}
