import HoneKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The right-hand operand `op(B)` (k × n) of `sgemm`, packed once into the micro-kernel's panel
/// layout so that many products with it skip the packing (like MKL's `cblas_sgemm_pack`): a
/// recurrent weight multiplies the hidden state at every timestep.
///
/// ``multiply(m:transA:alpha:a:lda:beta:c:ldc:)`` runs on the calling thread (callers split rows
/// across threads themselves) and gives bitwise the same result as `sgemm` with the same
/// operands: the k blocking and the micro-kernel are the same, and each element of C does not
/// depend on which rows are computed together.
///
/// ```swift
/// let w = PackedGEMMOperand(k: hidden, n: 4 * hidden, b: wHH, ldb: hidden, transB: true)
/// w.multiply(m: rows, a: hPrev, lda: hidden, beta: 0, c: gates, ldc: 4 * hidden)   // h·W_hhᵀ
/// ```
public final class PackedGEMMOperand: @unchecked Sendable {
    /// Rows of op(B) (the shared dimension).
    public let k: Int
    /// Columns of op(B) and of C.
    public let n: Int
    let kernel: GEMMMicroKernel
    let isa: InstructionSet
    /// Start (in floats) of each (column block, k block) in `storage`, column block major.
    private var offsets: [Int] = []
    private let kBlocks: Int
    private let storage: UnsafeMutablePointer<Float>

    /// The granule at which callers split m across threads: a multiple of it wastes no
    /// micro-kernel work (a full tile, or an AVX-512 edge tile of 4 or 8 rows that runs only its
    /// own rows' FMAs), so 128 rows on 2 threads split 64 + 64 rather than 72 + 56.
    public var rowTile: Int { kernel.edgeRows }

    /// Packs op(B), where B's element (p, j) of op(B) is `b[p·ldb + j]` (or `b[j·ldb + p]` when
    /// `transB`). `b` is only read during `init`.
    public init(k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int, transB: Bool, isa: InstructionSet = .active) {
        precondition(k > 0 && n > 0, "PackedGEMMOperand: k=\(k) and n=\(n) must be positive")
        precondition(ldb >= (transB ? k : n), "PackedGEMMOperand: ldb=\(ldb) too small for op(B) \(k)×\(n) transB=\(transB)")
        self.k = k; self.n = n
        self.isa = min(isa, InstructionSet.detected)
        kernel = GEMMMicroKernel.forISA(self.isa)
        kBlocks = kernel.kBlockCount(k)
        var total = 0
        var jc = 0
        while jc < n {
            let nc = min(kernel.nc, n - jc), padded = (nc + kernel.nr - 1) / kernel.nr * kernel.nr
            for kb in 0..<kBlocks {
                offsets.append(total)
                total += ((kb + 1) * k / kBlocks - kb * k / kBlocks) * padded
            }
            jc += nc
        }
        storage = UnsafeMutablePointer<Float>(OpaquePointer(aligned_alloc(64, (total * 4 + 63) / 64 * 64)!))
        let rs = transB ? 1 : ldb, cs = transB ? ldb : 1
        var block = 0
        jc = 0
        while jc < n {
            let nc = min(kernel.nc, n - jc)
            for kb in 0..<kBlocks {
                let p0 = kb * k / kBlocks, p1 = (kb + 1) * k / kBlocks
                kernel.packB(Int64(kernel.nr), Int64(p1 - p0), Int64(nc), b + p0 * rs + jc * cs, Int64(rs), Int64(cs),
                             storage + offsets[block])
                block += 1
            }
            jc += nc
        }
    }

    deinit { free(storage) }

    /// C (m × n, row stride ldc) = alpha · op(A) · op(B) + beta · C on the calling thread, where
    /// op(A) (m × k) has element (i, p) at `a[i·lda + p]` (or `a[p·lda + i]` when `transA`).
    /// `beta == 0` never reads C.
    public func multiply(m: Int, transA: Bool = false, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                         beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        precondition(m >= 0 && ldc >= n && lda >= (transA ? m : k),
                     "PackedGEMMOperand.multiply: m=\(m) lda=\(lda) ldc=\(ldc) do not fit op(A) \(m)×\(k), C \(m)×\(n)")
        if m == 0 { return }
        let uk = kernel
        let ars = transA ? 1 : lda, acs = transA ? lda : 1
        let kcMax = (k + kBlocks - 1) / kBlocks
        let packA = hone_scratch(1, Int64(kcMax * uk.mr * MemoryLayout<Float>.stride))!
        var block = 0
        var jc = 0
        while jc < n {
            let nc = min(uk.nc, n - jc)
            for kb in 0..<kBlocks {
                let p0 = kb * k / kBlocks, kc = (kb + 1) * k / kBlocks - p0
                let panels = UnsafePointer(storage + offsets[block])
                let betaBlock: Float = kb == 0 ? beta : 1
                var ir = 0
                while ir < m {
                    let mr = min(uk.mr, m - ir)
                    uk.packA(Int64(uk.mr), Int64(mr), Int64(kc), a + ir * ars + p0 * acs, Int64(ars), Int64(acs), alpha, packA)
                    let cRow = c + ir * ldc + jc
                    var jr = 0
                    while jr < nc {
                        uk.run(Int64(kc), packA, panels + jr * kc, cRow + jr, Int64(ldc), betaBlock,
                               Int64(mr), Int64(min(uk.nr, nc - jr)))
                        jr += uk.nr
                    }
                    ir += uk.mr
                }
                block += 1
            }
            jc += nc
        }
    }
}
