import HoneKernels

/// Int8 matrix multiply for quantized inference: `C = epilogue(A · Wᵀ)` with A uint8
/// activations (m × k) and W int8 weights (n × k, one row per output channel), int32
/// accumulation, and the dequantize / requantize step fused into the epilogue
/// (Jacob et al., CVPR 2018, "Quantization and Training of Neural Networks for Efficient
/// Integer-Arithmetic-Only Inference", §2.2–2.4: the zero point of A is folded into a
/// per-column offset `−z_a · Σ_k W[n, k]`).
///
/// Weights are packed once (`pack`) into the operand layout of `vpdpbusd`; the C tile is
/// chosen at run time: AVX-512 VNNI, AVX-VNNI, AVX2 (exact widening to int16 + `vpmaddwd`),
/// or portable C. `HONE_ISA` caps the choice as for the float kernels.
///
/// ```swift
/// let packed = QGEMM.pack(weights: w, rows: n, depth: k)            // [Int8]
/// QGEMM.multiply(m: m, n: n, k: k, a: a, lda: QGEMM.paddedDepth(k), packed: packed,
///                scale: scale, offset: offset, bias: bias, relu: true,
///                output: .float(c), ldc: n)
/// ```
public enum QGEMM {
    /// The int8 code paths, best last.
    public enum Path: Int32, Sendable, CaseIterable, Comparable, CustomStringConvertible {
        case generic = 0, avx2 = 1, avxVNNI = 2, avx512VNNI = 3
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
        public var description: String {
            switch self {
            case .generic: "generic"
            case .avx2: "avx2"
            case .avxVNNI: "avx-vnni"
            case .avx512VNNI: "avx512-vnni"
            }
        }
    }

    /// Whether this CPU can run `path` (CPUID is read once: it can trap in a virtual machine).
    public static func isSupported(_ path: Path) -> Bool { supported[Int(path.rawValue)] }

    private static let supported: [Bool] = Path.allCases.map { path in
        switch path {
        case .generic: return true
        case .avx2: return InstructionSet.detected >= .avx2
        case .avxVNNI: return hone_has_avx_vnni() != 0
        case .avx512VNNI: return hone_has_avx512_vnni() != 0
        }
    }

    /// The best path under the float kernels' instruction set (`InstructionSet.active`, which
    /// `HONE_ISA` can lower): AVX-512 → AVX-512 VNNI if present; AVX2 level → AVX-VNNI if present,
    /// else AVX2; generic → generic.
    public static let active: Path = {
        let isa = InstructionSet.active
        if isa >= .avx512 && isSupported(.avx512VNNI) { return .avx512VNNI }
        if isa >= .avx2 && isSupported(.avxVNNI) { return .avxVNNI }
        if isa >= .avx2 { return .avx2 }
        return .generic
    }()

    /// `k` rounded up to a multiple of 4: the row stride activations need.
    @inlinable public static func paddedDepth(_ k: Int) -> Int { (k + 3) / 4 * 4 }

    /// Bytes of the packed form of an n × k weight matrix.
    public static func packedCount(rows n: Int, depth k: Int) -> Int { Int(hone_qgemm_packed_size(Int64(n), Int64(k))) }

    /// Packs n × k int8 weights (row-major) for `multiply`.
    public static func pack(weights: UnsafePointer<Int8>, rows n: Int, depth k: Int) -> [Int8] {
        precondition(n > 0 && k > 0, "QGEMM.pack: sizes must be positive, got \(n)×\(k)")
        return [Int8](unsafeUninitializedCapacity: packedCount(rows: n, depth: k)) { buf, count in
            hone_qgemm_pack_b(Int64(n), Int64(k), weights, Int64(k), buf.baseAddress!)
            count = buf.count
        }
    }

    /// Where and how `multiply` stores its results.
    public enum Output {
        /// Dequantized float values (row stride ldc).
        case float(UnsafeMutablePointer<Float>)
        /// Requantized to uint8 with the next layer's scale and zero point.
        case uint8(UnsafeMutablePointer<UInt8>, scale: Float, zeroPoint: Int32)
        /// Raw `acc + offset` (tests).
        case int32(UnsafeMutablePointer<Int32>)
    }

    /// `C[i, j] = f(Σ_k A[i, k]·W[j, k] + offset[j])` with f = `·scale[j] + bias[j]`, optional ReLU,
    /// then the `output` conversion. `a` rows have stride `lda ≥ paddedDepth(k)` (the padding
    /// bytes must be readable). `scale`, `offset`, `bias` have n entries. Threaded over rows (or
    /// over 64-column blocks when there are few rows) with `Compute.parallelFor`.
    public static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<UInt8>, lda: Int, packed: UnsafePointer<Int8>,
                                scale: UnsafePointer<Float>, offset: UnsafePointer<Int32>, bias: UnsafePointer<Float>?,
                                relu: Bool, output: Output, ldc: Int, path: Path = active) {
        precondition(m >= 0 && n > 0 && k > 0, "QGEMM.multiply: bad sizes m=\(m) n=\(n) k=\(k)")
        precondition(lda >= paddedDepth(k), "QGEMM.multiply: lda=\(lda) < paddedDepth(k)=\(paddedDepth(k))")
        precondition(ldc >= n, "QGEMM.multiply: ldc=\(ldc) < n=\(n)")
        precondition(isSupported(path), "QGEMM.multiply: path \(path) is not supported by this CPU")
        if m == 0 { return }
        let kpad = paddedDepth(k)
        let (raw, mode, inv, zp): (UnsafeMutableRawPointer, Int32, Float, Int32)
        switch output {
        case .float(let p): (raw, mode, inv, zp) = (UnsafeMutableRawPointer(p), 0, 0, 0)
        case .uint8(let p, let s, let z): (raw, mode, inv, zp) = (UnsafeMutableRawPointer(p), 1, 1 / s, z)
        case .int32(let p): (raw, mode, inv, zp) = (UnsafeMutableRawPointer(p), 2, 0, 0)
        }
        let elem = mode == 1 ? 1 : 4
        func run(rows: Range<Int>, panels: Range<Int>) {
            let col0 = panels.lowerBound * 16
            let cols = min(n, panels.upperBound * 16) - col0
            var ep = hone_qepilogue(scale: scale + col0, offset: offset + col0, bias: bias.map { $0 + col0 },
                                    relu: relu ? 1 : 0, output: mode, out_inv_scale: inv, out_zero_point: zp)
            hone_qgemm_u8s8(path.rawValue, Int64(rows.count), Int64(cols), Int64(kpad), a + rows.lowerBound * lda,
                            Int64(lda), packed + panels.lowerBound * kpad * 16, &ep,
                            raw + (rows.lowerBound * ldc + col0) * elem, Int64(ldc))
        }
        let panels = (n + 15) / 16
        let work = m * n * k
        let threads = Compute.threadCount
        if threads <= 1 || work < 1 << 21 {
            run(rows: 0..<m, panels: 0..<panels)
        } else if m >= 12 * threads {
            let tiles = (m + 5) / 6
            Compute.parallelFor(tiles, minChunk: 1) { r in
                run(rows: r.lowerBound * 6..<min(m, r.upperBound * 6), panels: 0..<panels)
            }
        } else {
            let blocks = (panels + 3) / 4
            Compute.parallelFor(blocks, minChunk: 1) { b in
                run(rows: 0..<m, panels: b.lowerBound * 4..<min(panels, b.upperBound * 4))
            }
        }
    }

    /// Quantizes `count` floats to uint8: `clamp(round(x / scale) + zeroPoint, 0, 255)` (ties to
    /// even, as ONNX QuantizeLinear), in one vectorized pass.
    public static func quantize(_ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: Int32,
                                into dst: UnsafeMutablePointer<UInt8>, path: Path = active) {
        if count >= 1 << 16 && Compute.threadCount > 1 {
            Compute.parallelFor(count, minChunk: 1 << 14) { r in
                hone_quantize_u8(path.rawValue, x + r.lowerBound, Int64(r.count), 1 / scale, zeroPoint, dst + r.lowerBound)
            }
        } else {
            hone_quantize_u8(path.rawValue, x, Int64(count), 1 / scale, zeroPoint, dst)
        }
    }

    /// The minimum and maximum of `count` floats.
    public static func minMax(_ x: UnsafePointer<Float>, count: Int, path: Path = active) -> (min: Float, max: Float) {
        var out: (Float, Float) = (0, 0)
        withUnsafeMutablePointer(to: &out) {
            $0.withMemoryRebound(to: Float.self, capacity: 2) { hone_minmax_f32(path.rawValue, x, Int64(count), $0) }
        }
        return out
    }
}
