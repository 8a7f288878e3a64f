import HoneKernels

/// Elementwise +, −, ×, ÷ over contiguous floats on the per-ISA C kernels (`binary_impl.h`).
/// Each result is one IEEE operation, so every instruction-set path gives the same bits as a
/// scalar loop. Single-threaded: callers split large ranges.
///
/// ```swift
/// Arithmetic.add.apply(x, stride: 1, bias, stride: 0, into: y, count: n)   // y = x + bias[0]
/// ```
public enum Arithmetic: Int32, Sendable {
    case add = 0, subtract = 1, multiply = 2, divide = 3

    /// y[i] = a[i·aStride] ∘ b[i·bStride] for i < `count`; a stride is 1 (a vector) or 0 (one
    /// scalar, broadcast). `y` may be `a` or `b` (in place), not a partial overlap.
    public func apply(_ a: UnsafePointer<Float>, stride aStride: Int, _ b: UnsafePointer<Float>, stride bStride: Int,
                      into y: UnsafeMutablePointer<Float>, count: Int, isa: InstructionSet = .active) {
        precondition(count >= 0 && (aStride == 0 || aStride == 1) && (bStride == 0 || bStride == 1),
                     "Arithmetic.apply: count \(count), strides \(aStride) and \(bStride) (each must be 0 or 1)")
        hone_binary(Int32(Swift.min(isa, InstructionSet.detected).rawValue), rawValue, a, Int64(aStride), b,
                    Int64(bStride), y, Int64(count))
    }
}
