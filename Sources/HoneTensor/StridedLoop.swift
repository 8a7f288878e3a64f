import HoneCompute

/// Walks an n-d index space in row-major order one innermost row at a time, for several
/// operands with their own strides (0 for broadcast dimensions). Dimensions of size 1 are
/// dropped and adjacent dimensions that are dense for every operand are merged first, so a
/// contiguous tensor is one long row. The per-row callback receives each operand's element
/// offset; the caller runs the inner loop over `innerCount` elements with `innerStrides`.

struct StridedLoop {
    var outerShape: [Int]
    var outerStrides: [[Int]]
    var innerCount: Int
    var innerStrides: [Int]
    var rowCount: Int

    init(shape: [Int], strides: [[Int]]) {
        let k = strides.count
        var dims: [Int] = []
        var st: [[Int]] = Array(repeating: [], count: k)
        for d in 0..<shape.count where shape[d] != 1 {
            dims.append(shape[d])
            for o in 0..<k { st[o].append(strides[o][d]) }
        }
        if dims.isEmpty {
            dims = [1]
            for o in 0..<k { st[o] = [0] }
        }
        // Merge dimension i into i+1 when every operand is dense across the pair.
        var mdims: [Int] = [dims[0]]
        var mst: [[Int]] = st.map { [$0[0]] }
        for d in 1..<dims.count {
            let last = mdims.count - 1
            var mergeable = true
            for o in 0..<k where mst[o][last] != st[o][d] * dims[d] { mergeable = false; break }
            if mergeable {
                mdims[last] *= dims[d]
                for o in 0..<k { mst[o][last] = st[o][d] }
            } else {
                mdims.append(dims[d])
                for o in 0..<k { mst[o].append(st[o][d]) }
            }
        }
        innerCount = mdims.removeLast()
        innerStrides = mst.map { $0.last! }
        outerShape = mdims
        outerStrides = mst.map { Array($0.dropLast()) }
        rowCount = Shape.count(outerShape)
    }

    /// Calls `body(offsets)` for rows in `rows`; `offsets[o]` = `base[o]` + offset of the row
    /// start for operand `o`.
    func forEachRow(_ rows: Range<Int>, base: [Int], _ body: (UnsafeMutablePointer<Int>) -> Void) {
        let k = base.count
        let nd = outerShape.count
        withUnsafeTemporaryAllocation(of: Int.self, capacity: k + nd + 1) { buf in
            let offs = buf.baseAddress!
            let idx = offs + k
            for o in 0..<k { offs[o] = base[o] }
            var r = rows.lowerBound
            for d in stride(from: nd - 1, through: 0, by: -1) {
                let i = r % outerShape[d]
                r /= outerShape[d]
                idx[d] = i
                for o in 0..<k { offs[o] += i * outerStrides[o][d] }
            }
            for _ in rows {
                body(offs)
                var d = nd - 1
                while d >= 0 {
                    idx[d] += 1
                    for o in 0..<k { offs[o] += outerStrides[o][d] }
                    if idx[d] < outerShape[d] { break }
                    for o in 0..<k { offs[o] -= outerShape[d] * outerStrides[o][d] }
                    idx[d] = 0
                    d -= 1
                }
            }
        }
    }

    /// Runs rows in parallel chunks when the total work is large enough.
    func parallelRows(base: [Int], _ body: (UnsafeMutablePointer<Int>) -> Void) {
        let total = rowCount * innerCount
        if total < Parallel.elementThreshold || rowCount < 2 {
            forEachRow(0..<rowCount, base: base, body)
        } else {
            let minRows = max(1, Parallel.elementThreshold / max(innerCount, 1))
            Parallel.forRange(rowCount, minChunk: minRows) { r in forEachRow(r, base: base, body) }
        }
    }
}

/// Copies between strided layouts.

enum StridedCopy {
    /// Writes the elements of `src` in row-major order to the dense buffer `dst`.
    static func copy(from src: Tensor, to dst: UnsafeMutablePointer<Float>) {
        copy(from: src, to: dst, dstStrides: Shape.contiguousStrides(src.shape))
    }

    /// Writes the elements of `src` into `dst` laid out with `dstStrides` (same shape as src).
    static func copy(from src: Tensor, to dst: UnsafeMutablePointer<Float>, dstStrides: [Int]) {
        if src.count == 0 { return }
        let loop = StridedLoop(shape: src.shape, strides: [src.strides, dstStrides])
        if loop.outerShape.count == 1 && loop.innerStrides[0] != 1 && loop.outerStrides[0][0] == 1 {
            transpose2D(src, loop, dst)
            return
        }
        let sp = UnsafePointer(src.storage.pointer)
        let n = loop.innerCount, ss = loop.innerStrides[0], ds = loop.innerStrides[1]
        withExtendedLifetime(src) {
            loop.parallelRows(base: [src.offset, 0]) { offs in
                let s = sp + offs[0], d = dst + offs[1]
                if ss == 1 && ds == 1 {
                    d.update(from: s, count: n)
                } else {
                    for i in 0..<n { d[i * ds] = s[i * ss] }
                }
            }
        }
    }

    /// A 2-d transpose-like copy (source rows dense along the outer dimension): `Transpose.copy`
    /// when the destination rows are dense too, else 32×32 tiles so both the reads and the
    /// writes stay within a few cache lines.
    static func transpose2D(_ src: Tensor, _ loop: StridedLoop, _ dst: UnsafeMutablePointer<Float>) {
        let rows = loop.outerShape[0], cols = loop.innerCount
        let sr = loop.outerStrides[0][0], sc = loop.innerStrides[0]
        let dr = loop.outerStrides[1][0], dc = loop.innerStrides[1]
        let sp = UnsafePointer(src.base), tile = 32
        let rowTiles = (rows + tile - 1) / tile
        withExtendedLifetime(src) {
            let body: (Range<Int>) -> Void = { tiles in
                if sr == 1 && dc == 1 {   // dense rows on both sides: the C kernel
                    let r0 = tiles.lowerBound * tile, r1 = Swift.min(tiles.upperBound * tile, rows)
                    Transpose.copy(sp + r0, rowStride: sc, into: dst + r0 * dr, rowStride: dr, rows: r1 - r0, cols: cols)
                    return
                }
                for rt in tiles {
                    let r0 = rt * tile, r1 = Swift.min(r0 + tile, rows)
                    var c0 = 0
                    while c0 < cols {
                        let c1 = Swift.min(c0 + tile, cols)
                        for c in c0..<c1 {
                            let s = sp + c * sc, d = dst + c * dc
                            for r in r0..<r1 { d[r * dr] = s[r * sr] }
                        }
                        c0 = c1
                    }
                }
            }
            if rows * cols >= 2 * Parallel.elementThreshold {
                Parallel.forRange(rowTiles, minChunk: 1, body)
            } else {
                body(0..<rowTiles)
            }
        }
    }
}
