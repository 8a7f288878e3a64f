import HoneNN
import HoneTensor

extension Pruning {
    /// N:M semi-structured pruning (NVIDIA's 2:4 sparsity; Mishra et al. 2021, "Accelerating
    /// Sparse Deep Neural Networks"): in every group of `m` consecutive weights along a row of
    /// each Dense weight (input features) or Conv2D filter (in·kH·kW, row-major), only the `n`
    /// largest |w| are kept. Returns the masks (sparsity 1 − n/m).
    ///
    /// Throws `CompressionError.invalidArgument` unless 0 < n < m, and `.unsupportedLayer` for
    /// a layer whose row length is not a multiple of `m` (name it out with `layers`); nothing is
    /// changed then.
    ///
    /// ```swift
    /// let masks = try Pruning.nm(Models.mlp(seed: 1), n: 2, m: 4, layers: ["1", "3"])
    /// masks.sparsity   // 0.5
    /// ```
    @discardableResult
    public static func nm(_ model: any Module, n: Int = 2, m: Int = 4, layers: [String]? = nil) throws -> PruningMasks {
        guard m >= 2, n >= 1, n < m else {
            throw CompressionError.invalidArgument(name: "n:m", reason: "expected 0 < n < m and m ≥ 2, got \(n):\(m)")
        }
        let targets = try Pruning.targets(in: model, layers: layers, method: "\(n):\(m) pruning")
        for t in targets where t.rowLength % m != 0 {
            throw CompressionError.unsupportedLayer(
                method: "\(n):\(m) pruning (rows of \(t.rowLength) weights are not a multiple of \(m))",
                layer: "weight \(t.parameter.shape)", path: t.layerPath)
        }
        var masks = PruningMasks()
        for t in targets {
            let w = t.parameter.value.scalars
            var mask = [Float](repeating: 0, count: w.count)
            var start = 0
            while start < w.count {
                let group = (start..<(start + m)).sorted { abs(w[$0]) > abs(w[$1]) || (abs(w[$0]) == abs(w[$1]) && $0 < $1) }
                for i in group.prefix(n) { mask[i] = 1 }
                start += m
            }
            masks.masks[t.name] = mask
        }
        masks.apply(to: model)
        return masks
    }

    /// True when every group of `m` consecutive weights along each row has at most `n` non-zeros.
    ///
    /// ```swift
    /// Pruning.satisfiesNM(Tensor(shape: [1, 4], scalars: [0, 1, 0, 2]), n: 2, m: 4)   // true
    /// ```
    public static func satisfiesNM(_ weight: Tensor, n: Int, m: Int) -> Bool {
        let w = weight.scalars
        guard m > 0, w.count % m == 0 else { return false }
        var start = 0
        while start < w.count {
            if w[start..<(start + m)].filter({ $0 != 0 }).count > n { return false }
            start += m
        }
        return true
    }
}
