import HoneKernels

/// The in-place-A path of `GEMMDriver`: a row-major, unscaled A of at most 1 MiB per thread is
/// never packed. Loop order (outer to inner): column blocks of B (nc, all of k packed at once
/// into nr-wide panels, L2) → 12-row panels of A (read in place) → k blocks (kc) → B panels.
///
/// Taking every k block of one row panel before the next panel keeps each C tile's partial sums
/// in L1 between k blocks; the packed-A path instead sweeps all of C once per k block, reading
/// and writing it from L3 each time. A is re-read from memory once per column block, which is
/// why the path is limited to an A that stays in L2/L3: with 4 MiB of A (n = 1024) it ran up to
/// 5 % faster in some processes and 30–35 % slower in others on this shared host (session 8),
/// while the packed path never collapsed; at 1 MiB (n = 512) it is 2–3 % faster throughout.
/// Each element of C is summed in the same order as on the packed-A path (same k blocks, same
/// micro-kernel FMA order), so the two give the same bits.
extension GEMMDriver {
    /// Whether the rectangle of `rows` rows of op(A) (m × k) takes `blockInPlaceA`: A is row-major
    /// and unscaled (the row-pointer micro-kernel reads it as stored), there is at least one full
    /// 12-row panel, and A's rows × k floats fit the kernel's budget (A is re-read once per
    /// column block, so it must stay in cache).
    static func readsAInPlace(_ uk: GEMMMicroKernel, rows: Int, k: Int, alpha: Float, a: Operand) -> Bool {
        guard let maxAFloats = uk.inPlaceMaxAFloats, uk.runRows != nil else { return false }
        return a.colStride == 1 && alpha == 1 && rows >= uk.mr && rows * k <= maxAFloats
    }

    /// Serial blocked GEMM on the C rectangle rows × cols reading full 12-row panels of A in
    /// place (see the type's comment); a last panel of fewer rows is packed once per k block and
    /// kept for every column block. A row-major B is packed by the first panel's kernel calls.
    static func blockInPlaceA(_ uk: GEMMMicroKernel, rows: Range<Int>, cols: Range<Int>, k: Int,
                              a: Operand, b: Operand, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard let runRows = uk.runRows else { preconditionFailure("no in-place-A kernel") }
        let kBlocks = uk.kBlockCount(k)
        let ncMax = min(max(uk.nr, uk.bFloats / k / uk.nr * uk.nr), (cols.count + uk.nr - 1) / uk.nr * uk.nr)
        let packB = hone_scratch(0, Int64(k * ncMax * MemoryLayout<Float>.stride))!
        let fullRows = rows.count / uk.mr * uk.mr
        // A row-major B is packed by the first row panel's sweep (a full panel, as rows ≥ mr)
        // rather than in a pass of its own: n = 512 +1.6–2.4 %, n = 1024 +0.4–1.6 % (session 8).
        let fuseB = b.colStride == 1 ? uk.runRowsPackB : nil
        // The edge panel's k blocks, packed during the first column block (block b at p0·mr).
        let edgePanel = fullRows < rows.count ? hone_scratch(1, Int64(k * uk.mr * MemoryLayout<Float>.stride))! : nil
        var jc = cols.lowerBound
        while jc < cols.upperBound {
            let nc = min(ncMax, cols.upperBound - jc)
            let ncPadded = (nc + uk.nr - 1) / uk.nr * uk.nr
            for kb in 0..<kBlocks where fuseB == nil {
                let p0 = kb * k / kBlocks, p1 = (kb + 1) * k / kBlocks
                uk.packB(Int64(uk.nr), Int64(p1 - p0), Int64(nc), b.base + p0 * b.rowStride + jc * b.colStride,
                         Int64(b.rowStride), Int64(b.colStride), packB + p0 * ncPadded)
            }
            var ir = 0
            while ir < rows.count {
                let mr = min(uk.mr, rows.count - ir)
                let row0 = rows.lowerBound + ir
                let cRow = c + row0 * ldc + jc
                for kb in 0..<kBlocks {
                    let p0 = kb * k / kBlocks, kc = (kb + 1) * k / kBlocks - p0
                    let betaBlock: Float = kb == 0 ? beta : 1
                    let bBlock = packB + p0 * ncPadded
                    var jr = 0
                    if mr == uk.mr {
                        let aRows = a.base + row0 * a.rowStride + p0
                        while jr < nc {
                            let width = Int64(min(uk.nr, nc - jr))
                            if ir == 0, let fuseB {
                                fuseB(Int64(kc), aRows, Int64(a.rowStride), b.base + p0 * b.rowStride + jc + jr,
                                      Int64(b.rowStride), bBlock + jr * kc, cRow + jr, Int64(ldc), betaBlock, Int64(mr), width)
                            } else {
                                runRows(Int64(kc), aRows, Int64(a.rowStride), bBlock + jr * kc, cRow + jr, Int64(ldc),
                                        betaBlock, Int64(mr), width)
                            }
                            jr += uk.nr
                        }
                    } else if let edgePanel {
                        let aPanel = edgePanel + p0 * uk.mr
                        if jc == cols.lowerBound {
                            uk.packA(Int64(uk.mr), Int64(mr), Int64(kc), a.base + row0 * a.rowStride + p0,
                                     Int64(a.rowStride), 1, 1, aPanel)
                        }
                        while jr < nc {
                            uk.run(Int64(kc), aPanel, bBlock + jr * kc, cRow + jr, Int64(ldc), betaBlock,
                                   Int64(mr), Int64(min(uk.nr, nc - jr)))
                            jr += uk.nr
                        }
                    }
                }
                ir += uk.mr
            }
            jc += nc
        }
    }
}
