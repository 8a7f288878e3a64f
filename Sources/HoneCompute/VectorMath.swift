import HoneKernels

/// Vectorized elementwise math and row-wise softmax over contiguous Float buffers.
///
/// Kernels are C (`vecmath_impl.h`), instantiated for AVX-512, AVX2+FMA and the baseline
/// target and chosen by `InstructionSet.active`; large buffers are split across
/// `Compute.threadCount` threads. `x` and `y` may be the same buffer (in place).
///
/// Algorithms and measured worst errors against Double libm (all paths):
/// - `exp`: Cody–Waite reduction + Cephes `expf` polynomial, ≈ 8e-8 relative (normal
///   results), ≤ 1 subnormal ulp below 2⁻¹²⁶; `+inf` above ln(FLT_MAX), 0 below −103.97.
/// - `log`: Cephes `logf` (mantissa in [√½, √2)), ≈ 8e-8 relative; −inf at 0, NaN below 0.
/// - `tanh`: Cephes `tanhf` polynomial for |x| < 0.625, else 1 − 2/(e^{2|x|} + 1); ≈ 1.4e-7.
/// - `sigmoid`: 1/(1 + e^{−x}).
/// - `gelu`: the erf form 0.5·x·(1 + erf(x/√2)) (PyTorch's default), erf by Abramowitz &
///   Stegun 7.1.26; ≈ 2e-7 of (1 + |gelu(x)|).
/// NaN inputs give NaN.
///
/// ```swift
/// VectorMath.exp(x, y, count: n)
/// VectorMath.softmaxRows(logits, probs, rows: 128, cols: 10)
/// ```
public enum VectorMath {
    /// Elements per thread below which splitting across threads does not pay.
    static let minParallelChunk = 32 * 1024

    /// y = eˣ elementwise.
    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                           isa: InstructionSet = .active) { map(hone_vexp, x, y, count, isa) }
    /// y = ln x elementwise.
    public static func log(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                           isa: InstructionSet = .active) { map(hone_vlog, x, y, count, isa) }
    /// y = tanh x elementwise.
    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                            isa: InstructionSet = .active) { map(hone_vtanh, x, y, count, isa) }
    /// y = 1 / (1 + e^{−x}) elementwise.
    public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                               isa: InstructionSet = .active) { map(hone_vsigmoid, x, y, count, isa) }
    /// y = 0.5·x·(1 + erf(x/√2)) elementwise (exact-erf GELU, Hendrycks & Gimpel 2016).
    public static func gelu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                            isa: InstructionSet = .active) { map(hone_vgelu, x, y, count, isa) }

    /// y = x where x > 0, else +0 (NaN gives +0), elementwise.
    public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                            isa: InstructionSet = .active) { map(hone_vrelu, x, y, count, isa) }

    /// y = a + b elementwise.
    public static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                           count: Int) {
        Compute.parallelFor(count, minChunk: minParallelChunk) { r in
            Arithmetic.add.apply(a + r.lowerBound, stride: 1, b + r.lowerBound, stride: 1, into: y + r.lowerBound,
                                 count: r.count)
        }
    }

    /// Softmax of each row of a row-major `rows × cols` matrix: y = e^{x − max}/Σ e^{x − max}.
    /// Rows of up to 4096 floats (in L1) take a max pass, an exponential pass and a scale pass;
    /// longer rows one read pass that finds the max and the sum of exponentials together
    /// (online softmax, Milakov & Gimelshein 2018) and a second pass that writes y.
    public static func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                   isa: InstructionSet = .active) {
        rowwise(x, y, rows: rows, cols: cols, log: false, isa: isa)
    }

    /// Log-softmax of each row: y = x − max − log Σ e^{x − max}, fused like `softmaxRows`.
    public static func logSoftmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                      isa: InstructionSet = .active) {
        rowwise(x, y, rows: rows, cols: cols, log: true, isa: isa)
    }

    private static func rowwise(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                log: Bool, isa: InstructionSet) {
        precondition(rows >= 0 && cols >= 0, "softmaxRows: negative shape rows=\(rows) cols=\(cols)")
        guard rows > 0 && cols > 0 else { return }
        let level = Int32(min(isa, InstructionSet.detected).rawValue)
        Compute.parallelFor(rows, minChunk: max(1, minParallelChunk / cols)) { r in
            hone_softmax_rows(level, x + r.lowerBound * cols, y + r.lowerBound * cols,
                              Int64(r.count), Int64(cols), log ? 1 : 0)
        }
    }

    private static func map(_ kernel: (Int32, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int64) -> Void,
                            _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int,
                            _ isa: InstructionSet) {
        precondition(count >= 0, "VectorMath: negative count \(count)")
        let level = Int32(min(isa, InstructionSet.detected).rawValue)
        Compute.parallelFor(count, minChunk: minParallelChunk) { r in
            kernel(level, x + r.lowerBound, y + r.lowerBound, Int64(r.count))
        }
    }
}
