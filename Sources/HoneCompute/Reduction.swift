import HoneKernels

/// Sum, maximum or minimum of contiguous floats, on the per-ISA C kernels (`reduce_impl.h`).
/// Maximum and minimum propagate NaN, as PyTorch's do.
///
/// ```swift
/// let total = Reduction.sum.row(x, count: n)
/// Reduction.max.columns(m, into: colMax, rows: 128, cols: 10, rowStride: 10)
/// ```
public enum Reduction: Int32, Sendable {
    case sum = 0, max = 1, min = 2

    /// x[0] ∘ … ∘ x[count − 1], the identity (0, −∞, +∞) when `count` is 0. Eight vector
    /// accumulators, combined pairwise, then lane by lane and the scalar tail: a fixed order
    /// for a given instruction set (results may differ in the last bits between paths).
    public func row(_ x: UnsafePointer<Float>, count: Int, isa: InstructionSet = .active) -> Float {
        precondition(count >= 0, "Reduction.row: negative count \(count)")
        return hone_reduce_row(Int32(Swift.min(isa, InstructionSet.detected).rawValue), rawValue, x, Int64(count))
    }

    /// y[c] = x[0, c] ∘ x[1, c] ∘ … ∘ x[rows − 1, c] for c < `cols`, row r at `x + r·rowStride`,
    /// reduced top to bottom for every column on every path (bitwise the same everywhere).
    public func columns(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                        rowStride: Int, isa: InstructionSet = .active) {
        precondition(rows >= 1 && cols >= 0 && rowStride >= cols,
                     "Reduction.columns: rows=\(rows) cols=\(cols) rowStride=\(rowStride)")
        hone_reduce_cols(Int32(Swift.min(isa, InstructionSet.detected).rawValue), rawValue, x, y,
                         Int64(rows), Int64(cols), Int64(rowStride))
    }
}
