import HoneNN
import HoneRandom
import HoneTensor

/// Uniform random tensor in [low, high) from a seed.
func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var g = SeededGenerator(seed: seed, stream: 7)
    return Tensor.uniform(shape: shape, low: low, high: high, generator: &g)
}

/// Largest absolute difference of two equally shaped tensors.
func maxAbsDiff(_ a: Tensor, _ b: Tensor) -> Float {
    precondition(a.shape == b.shape, "maxAbsDiff: \(a.shape) vs \(b.shape)")
    return zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func zeroCount(_ t: Tensor) -> Int { t.scalars.filter { $0 == 0 }.count }
