import HoneKernels

/// One SGEMM micro-kernel and the cache blocking that suits it.
struct GEMMMicroKernel {
    /// Rows of C per tile (values broadcast from packed A).
    let mr: Int
    /// Columns of C per tile (SIMD width × vectors).
    let nr: Int
    /// Deepest k block: a product of depth k runs as `kBlockCount(k)` blocks of at most kc.
    let kc: Int
    /// Widest column block of packed B.
    let nc: Int
    /// Floats of one packed B block, which stays in L2: kc × nc on the packed-A path (a deep k
    /// block narrows the column block), all of k × nc on the in-place-A path.
    let bFloats: Int
    /// Row granule of an edge tile: an edge tile of `edgeRows`·j < mr rows costs about its own
    /// rows' FMAs (AVX-512 has 4- and 8-row kernels); `mr` where edge tiles cost a full tile.
    var edgeRows: Int
    let run: hone_sgemm_ukernel_fn
    /// Full-height (mr-row) tile reading A in place (row i at a + i·lda, k contiguous), with
    /// the same per-element FMA order as `run` on a packed panel (nil where there is none).
    var runRows: hone_sgemm_ukernel_rows_fn? = nil
    /// `runRows` reading B from its rows in place and writing the packed B panel as it goes.
    var runRowsPackB: hone_sgemm_ukernel_rows_packb_fn? = nil
    /// The largest A rectangle (rows × k floats) the in-place-A path (`GEMMDriver.blockInPlaceA`)
    /// takes: A is re-read once per column block, so it must stay in cache (nil: no such path).
    var inPlaceMaxAFloats: Int? = nil
    var packA: hone_sgemm_pack_a_fn = hone_sgemm_pack_a
    var packB: hone_sgemm_pack_b_fn = hone_sgemm_pack_b

    /// How many k blocks a product of depth k is split into (block b spans b·k/count ..<
    /// (b+1)·k/count). Every driver of these micro-kernels uses it, so that a product gives the
    /// same bits whichever driver runs it (`GEMMDriver`'s two paths, `PackedGEMMOperand`).
    func kBlockCount(_ k: Int) -> Int {
        (k + kc - 1) / kc
    }

    static func forISA(_ isa: InstructionSet) -> GEMMMicroKernel {
        switch min(isa, InstructionSet.detected) {
        case .avx512: GEMMMicroKernel(mr: 12, nr: 32, kc: 512, nc: 512, bFloats: 128 * 1024, edgeRows: 4,
                                      run: hone_sgemm_ukernel_avx512, runRows: hone_sgemm_ukernel_arows_avx512,
                                      runRowsPackB: hone_sgemm_ukernel_arows_packb_avx512,
                                      inPlaceMaxAFloats: 1 << 18,
                                      packA: hone_sgemm_pack_a_avx512, packB: hone_sgemm_pack_b_avx512)
        case .avx2: GEMMMicroKernel(mr: 6, nr: 16, kc: 256, nc: 512, bFloats: 128 * 1024, edgeRows: 6,
                                    run: hone_sgemm_ukernel_avx2)
        case .generic: GEMMMicroKernel(mr: 4, nr: 16, kc: 256, nc: 512, bFloats: 128 * 1024, edgeRows: 4,
                                       run: hone_sgemm_ukernel_generic)
        }
    }
}

/// Goto/BLIS-style blocked SGEMM (Goto & van de Geijn, 2008, "Anatomy of High-Performance
/// Matrix Multiplication"): pack a kc×nc block of B into nr-wide panels (L2), then for each
/// mr-row micro-panel of A (packed, scaled by alpha; L1) sweep the micro-kernel across the
/// B block. Threads each take a rectangle of C (whole tiles), so no synchronisation is needed
/// and the result does not depend on the thread count. A rectangle whose A is row-major,
/// unscaled and at most 1 MiB skips packing A (`blockInPlaceA`); the rest pack it (`block`).
/// Both paths sum each element of C in the same order.
enum GEMMDriver {
    struct Operand {
        let base: UnsafePointer<Float>
        let rowStride: Int   // element (i, p) at base[i*rowStride + p*colStride]
        let colStride: Int
    }

    /// Micro-kernel tiles (mr × nr, padded) a product of an m × n result occupies, in units of
    /// multiply-adds per k step: lets callers pick the less wasteful orientation.
    static func paddedTiles(m: Int, n: Int, isa: InstructionSet = .active) -> Int {
        let uk = GEMMMicroKernel.forISA(isa)
        return (m + uk.mr - 1) / uk.mr * uk.mr * ((n + uk.nr - 1) / uk.nr * uk.nr)
    }

    /// Below this many multiply-adds per thread, adding a thread costs more than it saves.
    static let minMACsPerThread = 128 * 1024

    static func run(m: Int, n: Int, k: Int, alpha: Float, a: Operand, b: Operand, beta: Float,
                    c: UnsafeMutablePointer<Float>, ldc: Int, isa: InstructionSet) {
        let uk = GEMMMicroKernel.forISA(isa)
        let tilesM = (m + uk.mr - 1) / uk.mr, tilesN = (n + uk.nr - 1) / uk.nr
        let macs = m * n * k
        let threads = max(1, min(Compute.threadCount, macs / minMACsPerThread, tilesM * tilesN))
        let (tm, tn) = grid(threads: threads, tilesM: tilesM, tilesN: tilesN, mr: uk.mr, nr: uk.nr)
        let workers = tm * tn
        // Row boundaries fall on the edge-tile granule rather than on whole tiles: an edge tile
        // of 4 or 8 rows costs about its own rows on AVX-512, so m = 512 on 2 threads splits
        // 256 + 256 (21 tiles and a 4-row tile each) instead of 252 + 260.
        let granules = (m + uk.edgeRows - 1) / uk.edgeRows
        Compute.forEachWorker(workers) { w in
            let wi = w / tn, wj = w % tn
            let m0 = min(m, wi * granules / tm * uk.edgeRows), m1 = min(m, (wi + 1) * granules / tm * uk.edgeRows)
            let n0 = min(n, wj * tilesN / tn * uk.nr), n1 = min(n, (wj + 1) * tilesN / tn * uk.nr)
            if m0 < m1 && n0 < n1 {
                if readsAInPlace(uk, rows: m1 - m0, k: k, alpha: alpha, a: a) {
                    blockInPlaceA(uk, rows: m0..<m1, cols: n0..<n1, k: k, a: a, b: b, beta: beta, c: c, ldc: ldc)
                } else {
                    block(uk, rows: m0..<m1, cols: n0..<n1, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c, ldc: ldc)
                }
            }
        }
    }

    /// Splits `threads` into a tm × tn grid of C rectangles that minimises the largest
    /// rectangle (counted in padded tiles); grids within 1 % of that minimum count as equal and
    /// among them the one splitting m most is taken. Each thread packs the A rows of its
    /// rectangle once per k block and every B column block of its rectangle once per row block,
    /// so splitting m duplicates only B's packing (a copy) while splitting n duplicates A's (a
    /// transpose): at 2 threads, 2048² ran ≈ 5 % faster split 2 × 1 than 1 × 2 (session 4).
    static func grid(threads: Int, tilesM: Int, tilesN: Int, mr: Int, nr: Int) -> (Int, Int) {
        var grids: [(tm: Int, tn: Int, cost: Int)] = []
        for tm in 1...threads where threads % tm == 0 {
            let tn = threads / tm
            if tm > tilesM || tn > tilesN { continue }
            grids.append((tm, tn, ((tilesM + tm - 1) / tm) * mr * ((tilesN + tn - 1) / tn) * nr))
        }
        guard let least = grids.map(\.cost).min() else { return (1, 1) }
        let near = grids.filter { $0.cost * 100 <= least * 101 }
        let best = near.max { $0.tm < $1.tm }!
        return (best.tm, best.tn)
    }

    /// Most floats of A packed at once per thread (4 MiB): for the usual m every row of A is
    /// packed once per k block and reused across all column blocks of B.
    static let packedAFloats = 1 << 20

    /// Serial blocked GEMM on the C rectangle rows × cols, packing A. Loop order (outer to inner): k blocks
    /// (kc) → row blocks of A (mc, packed once into mr-row micro-panels) → column blocks of B
    /// (nc, packed into nr-wide panels, L2) → micro-panels of A (L1) → panels of B. Packing A
    /// once per k block rather than once per column block removes the n/nc repacks of A that
    /// cost ≈ 6 % at n = 2048; the per-element summation order is unchanged.
    static func block(_ uk: GEMMMicroKernel, rows: Range<Int>, cols: Range<Int>, k: Int, alpha: Float,
                      a: Operand, b: Operand, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let kBlocks = uk.kBlockCount(k)
        let kcMax = (k + kBlocks - 1) / kBlocks
        let ncCap = min(uk.nc, max(uk.nr, uk.bFloats / kcMax / uk.nr * uk.nr))
        let ncMax = min(ncCap, (cols.count + uk.nr - 1) / uk.nr * uk.nr)
        let mcCap = max(uk.mr, packedAFloats / kcMax / uk.mr * uk.mr)
        let mBlocks = (rows.count + mcCap - 1) / mcCap
        let mcMax = ((rows.count + mBlocks - 1) / mBlocks + uk.mr - 1) / uk.mr * uk.mr
        // A single column block uses each A micro-panel for one sweep only, so A is read once
        // either way: read full-height panels of a row-major, unscaled A in place instead of
        // packing them (session 5, n = 512 before `blockInPlaceA` took such products: +2–3 %).
        // This serves an A over `blockInPlaceA`'s limit whose C rectangle is one column block.
        // Not when rows are a multiple of 4 KiB apart: then all 12 rows of a panel share L1 sets.
        let inPlaceA = uk.runRows != nil && cols.count <= ncMax && a.colStride == 1 && alpha == 1
            && a.rowStride % 1024 != 0
        let packB = hone_scratch(0, Int64(kcMax * ncMax * MemoryLayout<Float>.stride))!
        let packA = hone_scratch(1, Int64(kcMax * mcMax * MemoryLayout<Float>.stride))!
        for kb in 0..<kBlocks {
            let p0 = kb * k / kBlocks, p1 = (kb + 1) * k / kBlocks
            let kc = p1 - p0
            let betaBlock: Float = kb == 0 ? beta : 1
            var ic = rows.lowerBound
            while ic < rows.upperBound {
                let mc = min(mcMax, rows.upperBound - ic)
                var jc = cols.lowerBound
                while jc < cols.upperBound {
                    let nc = min(ncMax, cols.upperBound - jc)
                    uk.packB(Int64(uk.nr), Int64(kc), Int64(nc),
                             b.base + p0 * b.rowStride + jc * b.colStride,
                             Int64(b.rowStride), Int64(b.colStride), packB)
                    var ir = 0
                    while ir < mc {
                        let mr = min(uk.mr, mc - ir)
                        let aPanel = packA + ir * kc, cRow = c + (ic + ir) * ldc + jc
                        // Full panels of an in-place A are read by the row-pointer kernel; the
                        // rest are packed just before their first use (still in L1).
                        let aRows = inPlaceA && mr == uk.mr ? a.base + (ic + ir) * a.rowStride + p0 : nil
                        if jc == cols.lowerBound && aRows == nil {
                            uk.packA(Int64(uk.mr), Int64(mr), Int64(kc),
                                     a.base + (ic + ir) * a.rowStride + p0 * a.colStride,
                                     Int64(a.rowStride), Int64(a.colStride), alpha, aPanel)
                        }
                        // After the first column block A is already packed: spread prefetches of
                        // the next micro-panel (in L3 once m·kc outgrows L2) over this panel's
                        // kernel calls, so its first sweep does not wait on L3 (n = 1024: +1.5 %).
                        let next = !inPlaceA && jc != cols.lowerBound && ir + uk.mr < mc ? packA + (ir + uk.mr) * kc : nil
                        let panelBytes = uk.mr * kc * MemoryLayout<Float>.stride
                        let calls = (nc + uk.nr - 1) / uk.nr
                        let slice = ((panelBytes + 63) / 64 + calls - 1) / calls * 64
                        var jr = 0, call = 0
                        while jr < nc {
                            if let next, call * slice < panelBytes {
                                hone_prefetch_l2(UnsafeRawPointer(next) + call * slice,
                                                 Int64(min(slice, panelBytes - call * slice)))
                            }
                            let width = Int64(min(uk.nr, nc - jr))
                            if let aRows, let runRows = uk.runRows {
                                runRows(Int64(kc), aRows, Int64(a.rowStride), packB + jr * kc, cRow + jr, Int64(ldc),
                                        betaBlock, Int64(mr), width)
                            } else {
                                uk.run(Int64(kc), aPanel, packB + jr * kc, cRow + jr, Int64(ldc), betaBlock, Int64(mr), width)
                            }
                            jr += uk.nr
                            call += 1
                        }
                        ir += uk.mr
                    }
                    jc += nc
                }
                ic += mc
            }
        }
    }
}
