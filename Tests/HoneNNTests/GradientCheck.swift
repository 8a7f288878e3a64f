import Foundation
import HoneNN
import HoneRandom
import HoneTensor
import Testing

/// Random test inputs (uniform in [low, high)) from a seed.
func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var g = SeededGenerator(seed: seed, stream: 99)
    return Tensor.uniform(shape: shape, low: low, high: high, generator: &g)
}

/// The deterministic pattern benchmarks/reference-nn.py uses: element i is 0.5·sin(0.7·i + phase).
func pattern(_ shape: [Int], _ phase: Double, scale: Double = 1, shift: Double = 0) -> Tensor {
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<n).map { Float((0.5 * sin(0.7 * Double($0) + phase)) * scale + shift) })
}

/// Checks an op's forward against an independent Double reference and its autodiff gradients
/// against central finite differences of that reference (h = 1e-6 in Double). The scalar loss is
/// Σ w ⊙ op(inputs) with a fixed random weighting w, so every output element matters.
func checkGradients(_ inputs: [Tensor], relativeTolerance: Double = 2e-3, absoluteTolerance: Double = 2e-4,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    forward: ([Tensor]) -> Tensor, reference: ([[Double]]) -> [Double]) {
    checkGradients(inputs, relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance,
                   sourceLocation: sourceLocation, bound: { leaves in (forward(leaves), leaves) }, reference: reference)
}

/// As `checkGradients(_:forward:reference:)`, for layers: `bound` receives the inputs as leaves,
/// may store some into a layer's parameters, and returns the output together with the tensors to
/// differentiate (the parameters' own leaves, one per input, in order).
func checkGradients(_ inputs: [Tensor], relativeTolerance: Double = 2e-3, absoluteTolerance: Double = 2e-4,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    bound: ([Tensor]) -> (Tensor, [Tensor]), reference: ([[Double]]) -> [Double]) {
    let (y, leaves) = bound(inputs.map { $0.requiringGrad() })
    let w = randomTensor(y.shape, seed: 4242, low: -1, high: 1)
    let wd = w.scalars.map(Double.init)
    let analytic = gradients(of: (y * w).sum(), wrt: leaves)
    let base = inputs.map { $0.scalars.map(Double.init) }
    let ref = reference(base)
    #expect(ref.count == y.count, "reference returned \(ref.count) values for an output of shape \(y.shape)",
            sourceLocation: sourceLocation)
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= absoluteTolerance + relativeTolerance * max(abs(a), abs(b)) }
    var worstForward = 0.0
    for (a, b) in zip(y.scalars.map(Double.init), ref) where !close(a, b) { worstForward = max(worstForward, abs(a - b)) }
    #expect(worstForward == 0, "forward differs from the Double reference by up to \(worstForward)", sourceLocation: sourceLocation)
    let h = 1e-6
    func loss(_ xs: [[Double]]) -> Double { zip(reference(xs), wd).reduce(0) { $0 + $1.0 * $1.1 } }
    for i in inputs.indices {
        let g = analytic[i].scalars
        var bad: [(Int, Double, Double)] = []
        for j in base[i].indices {
            var plus = base, minus = base
            plus[i][j] += h; minus[i][j] -= h
            let fd = (loss(plus) - loss(minus)) / (2 * h)
            if !close(Double(g[j]), fd) { bad.append((j, Double(g[j]), fd)) }
        }
        #expect(bad.isEmpty, "input \(i): gradient mismatches (index, autodiff, finite difference): \(bad.prefix(5))",
                sourceLocation: sourceLocation)
    }
}

/// Element-wise closeness of two value lists.
func expectClose(_ a: [Float], _ b: [Double], tolerance: Double = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "\(a.count) values vs \(b.count)", sourceLocation: sourceLocation)
    let worst = zip(a, b).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
    #expect(worst <= tolerance, "largest relative difference \(worst)", sourceLocation: sourceLocation)
}
