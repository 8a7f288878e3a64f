import HoneCompute
import HoneRandom

/// Every instruction-set path this CPU can run (tests force each one through `isa:`).
let isaPaths = InstructionSet.allCases.filter { $0 <= InstructionSet.detected }

/// Random Float buffer in [-1, 1) from a seeded generator.
func randomBuffer(_ count: Int, seed: UInt64, stream: UInt64 = 0) -> [Float] {
    var rng = SeededGenerator(seed: seed, stream: stream)
    return (0..<count).map { _ in Float(rng.uniform(-1, 1)) }
}

/// Largest |x − y| / (1 + |y|) over two equal-length sequences.
func maxRelativeError(_ x: [Float], _ y: [Double]) -> Double {
    precondition(x.count == y.count)
    var worst = 0.0
    for i in 0..<x.count {
        let e = abs(Double(x[i]) - y[i]) / (1 + abs(y[i]))
        if !(e <= worst) { worst = e.isNaN ? .infinity : e }
    }
    return worst
}
