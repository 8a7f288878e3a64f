import HoneNN
import HoneTensor

/// Binary masks (1 keep, 0 pruned) for a model's weights, by dotted parameter name, as produced
/// by `Pruning.magnitude` and `Pruning.nm`. Applying them multiplies each weight by its mask;
/// `MaskedFineTuning` re-applies them after every optimizer step so pruned weights stay zero.
///
/// ```swift
/// let masks = try Pruning.magnitude(model, sparsity: 0.5)
/// masks.sparsity              // 0.5 (of the masked weights)
/// masks.apply(to: model)      // idempotent
/// ```
public struct PruningMasks: Sendable, Equatable {
    /// Mask values (0 or 1) in the weight's row-major order, by parameter name.
    public var masks: [String: [Float]]

    public init(masks: [String: [Float]] = [:]) { self.masks = masks }

    /// Fraction of masked-out weights over all masked parameters.
    public var sparsity: Double {
        var zeros = 0, total = 0
        for m in masks.values { total += m.count; zeros += m.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }
        return total == 0 ? 0 : Double(zeros) / Double(total)
    }

    /// Fraction of masked-out weights of one parameter (nil if it has no mask).
    public func sparsity(of name: String) -> Double? {
        guard let m = masks[name], !m.isEmpty else { return nil }
        return Double(m.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }) / Double(m.count)
    }

    /// Multiplies every masked weight of `model` by its mask (pruned weights become exactly 0).
    public func apply(to model: any Module) {
        for (name, p) in model.namedParameters {
            guard let m = masks[name] else { continue }
            precondition(m.count == p.count, "PruningMasks.apply: mask of \(name) has \(m.count) entries, weight has \(p.count)")
            p.value.withUnsafeMutableBufferPointer { w in
                for i in 0..<m.count { w[i] *= m[i] }
            }
        }
    }

    /// Multiplies the accumulated gradient of every masked weight by its mask, so an optimizer
    /// step moves no pruned weight (and no optimizer state is built up for it).
    public func maskGradients(of model: any Module) {
        for (name, p) in model.namedParameters {
            guard let m = masks[name], var g = p.grad else { continue }
            precondition(m.count == g.count, "PruningMasks.maskGradients: mask of \(name) has \(m.count) entries, gradient has \(g.count)")
            p.value.grad = nil   // leaves `g` the only owner: masked in place
            g.withUnsafeMutableBufferPointer { gp in
                for i in 0..<m.count { gp[i] *= m[i] }
            }
            p.value.grad = g
        }
    }

    /// Measured fraction of exact zeros in the masked weights of `model`.
    public func measuredSparsity(of model: any Module) -> Double {
        var zeros = 0, total = 0
        for (name, p) in model.namedParameters where masks[name] != nil {
            p.value.withUnsafeBufferPointer { w in
                total += w.count
                for v in w where v == 0 { zeros += 1 }
            }
        }
        return total == 0 ? 0 : Double(zeros) / Double(total)
    }
}
