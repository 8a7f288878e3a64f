import HoneNN
import HoneTensor

extension Pruning {
    /// Density (fraction of non-zero weights) at or below which `sparsify` switches a Dense layer
    /// to `SparseDense`. Measured with `hone-bench compress --task crossover` (AVX-512, 2
    /// threads, 784×256 and 256×128 layers at batch 1 and 128): the sparse kernel overtakes the
    /// packed GEMM between 30% and 45% density at batch 128 and much earlier at batch 1; 0.3
    /// keeps a margin at every batch size (docs/compression.md).
    public static let sparseCrossoverDensity = 0.3

    /// Replaces every `Dense` layer of `model` whose weight density is ≤ `maxDensity` by a
    /// `SparseDense` (CSR) layer, fusing an immediately following `ReLU` into it, so pruned
    /// models actually run faster; other layers are copied. The result is inference-only and is
    /// saved with `CompressedModelFile`. The input model is not changed.
    ///
    /// ```swift
    /// let model = Models.mlp(seed: 1)
    /// try Pruning.magnitude(model, sparsity: 0.9)
    /// let fast = try Pruning.sparsify(model)   // Dense → SparseDense where density ≤ 0.3
    /// ```
    public static func sparsify(_ model: Sequential, maxDensity: Double = sparseCrossoverDensity) throws -> Sequential {
        guard maxDensity >= 0, maxDensity <= 1 else {
            throw CompressionError.invalidArgument(name: "maxDensity", reason: "expected a value in [0, 1], got \(maxDensity)")
        }
        var out: [(String, any Layer)] = []
        var skipReLU = false
        let entries = model.layers
        for (i, e) in entries.enumerated() {
            if skipReLU { skipReLU = false; continue }
            if let d = e.layer as? Dense {
                let w = d.weight.value.scalars
                let density = Double(w.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }) / Double(max(1, w.count))
                if density <= maxDensity {
                    let fuse = i + 1 < entries.count && entries[i + 1].layer is ReLU
                    out.append((e.name, SparseDense(d, fusedReLU: fuse)))
                    skipReLU = fuse
                    continue
                }
            }
            if let s = e.layer as? Sequential {
                out.append((e.name, try sparsify(s, maxDensity: maxDensity)))
            } else if e.layer is SparseDense {
                out.append((e.name, e.layer))   // immutable: safe to share
            } else {
                out.append((e.name, try LayerCopy.clone(e.layer, method: "sparsify", path: e.name)))
            }
        }
        let result = Sequential(named: out)
        result.setTraining(false)
        return result
    }
}
