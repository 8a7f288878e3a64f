import HoneKernels

/// Out-of-place 2-d transpose of floats (`transpose.c`): 16 × 16 blocks through AVX-512
/// registers, 32 × 32 scalar tiles elsewhere. A copy, so every path gives the same bits.
///
/// ```swift
/// // x is 128 × 256 (row stride 256); y becomes its 256 × 128 transpose (row stride 128).
/// Transpose.copy(x, rowStride: 256, into: y, rowStride: 128, rows: 256, cols: 128)
/// ```
public enum Transpose {
    /// d[r·dstRowStride + c] = s[c·srcRowStride + r] for r < `rows`, c < `cols`; the buffers
    /// must not overlap. Any source stride works (0 repeats one source row).
    public static func copy(_ s: UnsafePointer<Float>, rowStride srcRowStride: Int, into d: UnsafeMutablePointer<Float>,
                            rowStride dstRowStride: Int, rows: Int, cols: Int, isa: InstructionSet = .active) {
        precondition(rows >= 0 && cols >= 0 && srcRowStride >= 0 && dstRowStride >= cols,
                     "Transpose.copy: rows \(rows), cols \(cols), row strides \(srcRowStride) and \(dstRowStride)")
        hone_transpose(Int32(Swift.min(isa, InstructionSet.detected).rawValue), s, Int64(srcRowStride), d,
                       Int64(dstRowStride), Int64(rows), Int64(cols))
    }
}
