import HoneNN
import HoneTensor

extension Pruning {
    /// Where the magnitude threshold of unstructured pruning is taken.
    public enum Scope: String, Sendable, CaseIterable {
        /// Each weight matrix loses the same fraction of its smallest-magnitude entries.
        case layerwise
        /// One threshold over all targeted weights together (layers end up with different
        /// sparsities; Han et al. 2015, "Learning both Weights and Connections").
        case global
    }

    /// Unstructured magnitude pruning (Han et al. 2015): zeroes the `sparsity` fraction of
    /// smallest |w| entries of every Dense and Conv2D weight (or of `layers`), per layer or with
    /// one global threshold, and returns the masks. Biases and normalization parameters are
    /// never pruned. Exactly ⌊sparsity·n + ½⌋ entries are pruned per layer (or over all
    /// targets for `.global`); ties are broken by position, so the result is deterministic.
    ///
    /// Throws `CompressionError.invalidSparsity` unless 0 ≤ sparsity < 1, and
    /// `.unsupportedLayer` for a named layer that has no prunable weight; nothing is changed then.
    ///
    /// ```swift
    /// let model = Models.mlp(seed: 1)
    /// let masks = try Pruning.magnitude(model, sparsity: 0.9, scope: .global)
    /// masks.measuredSparsity(of: model)   // 0.9
    /// ```
    @discardableResult
    public static func magnitude(_ model: any Module, sparsity: Double, scope: Scope = .layerwise,
                                 layers: [String]? = nil) throws -> PruningMasks {
        let masks = try magnitudeMasks(model, sparsity: sparsity, scope: scope, layers: layers)
        masks.apply(to: model)
        return masks
    }

    /// The masks `magnitude` would apply, without changing the model.
    public static func magnitudeMasks(_ model: any Module, sparsity: Double, scope: Scope = .layerwise,
                                      layers: [String]? = nil) throws -> PruningMasks {
        guard sparsity >= 0, sparsity < 1, sparsity.isFinite else { throw CompressionError.invalidSparsity(sparsity) }
        let targets = try Pruning.targets(in: model, layers: layers, method: "magnitude pruning")
        var masks = PruningMasks()
        switch scope {
        case .layerwise:
            for t in targets {
                let w = t.parameter.value.scalars
                masks.masks[t.name] = keepLargest(w.map { abs($0) }, prune: Int((sparsity * Double(w.count)).rounded()))
            }
        case .global:
            var magnitudes: [Float] = []
            var sizes: [Int] = []
            for t in targets {
                let w = t.parameter.value.scalars
                magnitudes += w.map { abs($0) }
                sizes.append(w.count)
            }
            let all = keepLargest(magnitudes, prune: Int((sparsity * Double(magnitudes.count)).rounded()))
            var start = 0
            for (t, n) in zip(targets, sizes) {
                masks.masks[t.name] = Array(all[start..<(start + n)])
                start += n
            }
        }
        return masks
    }

    /// Mask with 0 at the `prune` smallest values (ties: lower index pruned first), 1 elsewhere.
    static func keepLargest(_ values: [Float], prune: Int) -> [Float] {
        var mask = [Float](repeating: 1, count: values.count)
        guard prune > 0 else { return mask }
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        for i in order.prefix(prune) { mask[i] = 0 }
        return mask
    }
}
