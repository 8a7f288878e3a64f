import HoneKernels

/// Vectorized optimizer update rules over raw Float buffers (C kernels in `optim_impl.h`,
/// chosen by `InstructionSet.active`). Every path performs the same IEEE single-precision
/// operations in the same order (no fused multiply-add), so results are bitwise identical
/// across instruction sets and buffer splits.
///
/// ```swift
/// // m, v: moment buffers; u: gradient in, Adam direction out (step t)
/// OptimizerKernels.adam(m: m, v: v, vMax: nil, update: u, count: n, beta1: 0.9, beta2: 0.999,
///                       c1: 1 / (1 - pow(0.9, t)), c2: 1 / sqrt(1 - pow(0.999, t)), epsilon: 1e-8)
/// ```
public enum OptimizerKernels {
    /// Adam (Kingma & Ba, arXiv:1412.6980), PyTorch's form: with g = `update[i]`,
    /// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g·g, (amsgrad: vMax ← max(vMax, v)), and
    /// `update[i]` ← (m·c1) / (√v·c2 + ε), where c1 = 1/(1−β₁ᵗ), c2 = 1/√(1−β₂ᵗ).
    public static func adam(m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                            vMax: UnsafeMutablePointer<Float>?, update: UnsafeMutablePointer<Float>, count: Int,
                            beta1: Float, beta2: Float, c1: Float, c2: Float, epsilon: Float,
                            isa: InstructionSet = .active) {
        precondition(count >= 0, "OptimizerKernels.adam: negative count \(count)")
        hone_adam_update(Int32(min(isa, InstructionSet.detected).rawValue), m, v, vMax, update, Int64(count),
                         beta1, beta2, c1, c2, epsilon)
    }
}
