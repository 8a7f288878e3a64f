import HoneRandom
import HoneTensor

/// Orthogonal initialization (Saxe et al., arXiv:1312.6120) as in `torch.nn.init.orthogonal_`.
enum Orthogonal {
    /// `shape` viewed as rows = shape[0], cols = the rest; a Gaussian matrix (in Double) is made
    /// tall, orthonormalized by modified Gram–Schmidt (which yields R with a positive diagonal,
    /// PyTorch's sign convention) and transposed back when it was wide.
    static func make(shape: [Int], gain: Float, generator: inout SeededGenerator) -> Tensor {
        precondition(shape.count >= 2, "Initializer.orthogonal: needs a weight of rank ≥ 2, got shape \(shape)")
        let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
        var flat = [Double](repeating: 0, count: rows * cols)
        for i in flat.indices { flat[i] = generator.normal() }
        let wide = rows < cols
        let m = wide ? cols : rows, n = wide ? rows : cols      // tall m×n, m ≥ n
        // Column j of the tall matrix as a contiguous vector of length m.
        var q = [[Double]](repeating: [Double](repeating: 0, count: m), count: n)
        for r in 0..<rows {
            for c in 0..<cols {
                if wide { q[r][c] = flat[r * cols + c] } else { q[c][r] = flat[r * cols + c] }
            }
        }
        for j in 0..<n {
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<m { dot += q[k][i] * q[j][i] }
                for i in 0..<m { q[j][i] -= dot * q[k][i] }
            }
            var norm = 0.0
            for i in 0..<m { norm += q[j][i] * q[j][i] }
            norm = norm.squareRoot()
            precondition(norm > 0, "Initializer.orthogonal: degenerate random matrix")
            for i in 0..<m { q[j][i] /= norm }
        }
        var out = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols {
                out[r * cols + c] = Float(Double(gain) * (wide ? q[r][c] : q[c][r]))
            }
        }
        return Tensor(shape: shape, scalars: out)
    }
}
