import Testing
import HoneTestSupport
import HoneCompute
import HoneRandom

/// Reference `alpha·op(A)·op(B) + beta·C` in Double.
private func referenceGEMM(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                           a: [Float], lda: Int, b: [Float], ldb: Int, beta: Float,
                           c: [Float], ldc: Int) -> [Double] {
    var out = c.map(Double.init)
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
                let av = transA ? a[p * lda + i] : a[i * lda + p]
                let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                s += Double(av) * Double(bv)
            }
            out[i * ldc + j] = Double(alpha) * s + (beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j]))
        }
    }
    return out
}

private func checkGEMM(m: Int, n: Int, k: Int, transA: Bool, transB: Bool, alpha: Float, beta: Float,
                       pad: Int, isa: InstructionSet, seed: UInt64) -> Double {
    let lda = max(1, transA ? m : k) + pad, ldb = max(1, transB ? k : n) + pad, ldc = max(1, n) + pad
    let a = randomBuffer(max(1, (transA ? k : m) * lda), seed: seed, stream: 1)
    let b = randomBuffer(max(1, (transB ? n : k) * ldb), seed: seed, stream: 2)
    var c = randomBuffer(max(1, m * ldc), seed: seed, stream: 3)
    if beta == 0 { for i in c.indices where i % 3 == 0 { c[i] = .nan } }
    let expected = referenceGEMM(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                 a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
            c.withUnsafeMutableBufferPointer { cp in
                sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                      a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
                      beta: beta, c: cp.baseAddress!, ldc: ldc, isa: isa)
            }
        }
    }
    // Padding columns of C must be untouched (and rows' real entries compared).
    var worst = 0.0
    for i in 0..<m {
        for j in 0..<n {
            let e = abs(Double(c[i * ldc + j]) - expected[i * ldc + j]) / (1 + abs(expected[i * ldc + j]))
            if !(e <= worst) { worst = e.isNaN ? .infinity : e }
        }
    }
    return worst / Double(max(1, k)).squareRoot()
}

@Test(arguments: isaPaths)
func sgemmMatchesReferenceOnRandomShapes(isa: InstructionSet) {
    var rng = SeededGenerator(seed: 42, stream: UInt64(isa.rawValue))
    let fixed: [(Int, Int, Int)] = [(1, 1, 1), (1, 17, 3), (13, 1, 7), (7, 9, 1), (0, 5, 3), (5, 4, 0),
                                    (33, 65, 129), (128, 10, 128), (100, 70, 300)]
    var shapes = fixed
    for _ in 0..<10 { shapes.append((rng.int(in: 1...90), rng.int(in: 1...90), rng.int(in: 1...400))) }
    for (idx, (m, n, k)) in shapes.enumerated() {
        for transA in [false, true] {
            for transB in [false, true] {
                let alpha: Float = idx % 3 == 0 ? 1 : -0.75
                let beta: Float = [0, 1, 0.5][idx % 3]
                let err = checkGEMM(m: m, n: n, k: k, transA: transA, transB: transB, alpha: alpha,
                                    beta: beta, pad: idx % 2 == 0 ? 0 : 3, isa: isa, seed: UInt64(idx))
                #expect(err < 1e-6, "isa=\(isa) m=\(m) n=\(n) k=\(k) tA=\(transA) tB=\(transB) err=\(err)")
            }
        }
    }
}

@Test(arguments: isaPaths)
func sgemmLargeBlockedShapes(isa: InstructionSet) {
    // Sizes that cross the cache-block boundaries (kc, mc, nc) with ragged edges.
    for (i, (m, n, k)) in [(301, 517, 700), (64, 1100, 260)].enumerated() {
        let err = checkGEMM(m: m, n: n, k: k, transA: i == 1, transB: i == 0, alpha: 1.5, beta: 0.25,
                            pad: 1, isa: isa, seed: 900 + UInt64(i))
        #expect(err < 1e-6, "isa=\(isa) m=\(m) n=\(n) k=\(k) err=\(err)")
    }
}

@Test(arguments: isaPaths)
func sgemmSeveralPackedRowBlocks(isa: InstructionSet) {
    // m large enough that the packed A of one k block is split into two row blocks (AVX-512:
    // 2^20 floats / k block 384 = 2730 rows), with a ragged last micro-panel and two k blocks.
    let err = checkGEMM(m: 2900, n: 40, k: 768, transA: false, transB: false, alpha: 1, beta: 0.5,
                        pad: 1, isa: isa, seed: 910)
    #expect(err < 1e-6, "isa=\(isa) err=\(err)")
}

@Test(arguments: [(150, 300, 257), (512, 64, 300), (1000, 96, 40), (150, 300, 500), (400, 64, 700)])
func sgemmSameResultAtOneTwoAndThreeThreads(shape: (Int, Int, Int)) {
    // Threads split rows at the edge-tile granule (4 rows on AVX-512), so with 2 or 3 threads
    // short edge tiles sit in the middle of C (m = 150: rows 0..<76 and 76..<150, 76 = 6·12 + 4);
    // every element must still be summed in the same order as on one thread: bit-identical.
    // 400 × 700: one thread packs A (over 1 MiB), two and three read their rows in place.
    let (m, n, k) = shape
    let a = randomBuffer(m * k, seed: 5, stream: 1), b = randomBuffer(k * n, seed: 5, stream: 2)
    func run(_ threads: Int) -> [Float] {
        withThreadCount(threads) {
            var c = [Float](repeating: .nan, count: m * n)
            sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
                  beta: 0, c: &c, ldc: n)
            return c
        }
    }
    let one = run(1), two = run(2), three = run(3)
    #expect(!one.contains { !$0.isFinite })
    #expect(two == one, "m=\(m) n=\(n) k=\(k): 2 threads differ from 1")
    #expect(three == one, "m=\(m) n=\(n) k=\(k): 3 threads differ from 1")
}

@Test func sgemmColumnBlockingAndPathsAreBitIdentical() {
    // m = 1510, k = 700: A is over 1 MiB, so the packed-A path (GEMMDriver.block) runs; with
    // n = 200 (one column block on AVX-512) it reads full 12-row panels of A in place, with
    // n = 1100 it packs them. The first 130 rows alone fit the in-place-A path
    // (GEMMDriver.blockInPlaceA). Same k blocking and per-element FMA order everywhere: the
    // shared entries must be bit-identical (130 rows: ten full panels and a 10-row edge).
    let m = 1510, few = 130, k = 700, wide = 1100, narrow = 200
    let a = randomBuffer(m * k, seed: 8, stream: 1), b = randomBuffer(k * wide, seed: 8, stream: 2)
    var cWide = [Float](repeating: .nan, count: m * wide), cNarrow = [Float](repeating: .nan, count: m * narrow)
    var cFew = [Float](repeating: .nan, count: few * narrow)
    sgemm(transA: false, transB: false, m: m, n: wide, k: k, alpha: 1, a: a, lda: k, b: b, ldb: wide,
          beta: 0, c: &cWide, ldc: wide)
    sgemm(transA: false, transB: false, m: m, n: narrow, k: k, alpha: 1, a: a, lda: k, b: b, ldb: wide,
          beta: 0, c: &cNarrow, ldc: narrow)
    sgemm(transA: false, transB: false, m: few, n: narrow, k: k, alpha: 1, a: a, lda: k, b: b, ldb: wide,
          beta: 0, c: &cFew, ldc: narrow)
    var wideVsNarrow = 0, fewVsNarrow = 0
    for i in 0..<m { for j in 0..<narrow where cNarrow[i * narrow + j] != cWide[i * wide + j] { wideVsNarrow += 1 } }
    for i in 0..<few { for j in 0..<narrow where cNarrow[i * narrow + j] != cFew[i * narrow + j] { fewVsNarrow += 1 } }
    #expect(wideVsNarrow == 0, "\(wideVsNarrow) of \(m * narrow) elements differ between n = \(wide) and \(narrow)")
    #expect(fewVsNarrow == 0, "\(fewVsNarrow) of \(few * narrow) elements differ between m = \(few) and \(m)")
    let err = checkGEMM(m: few, n: narrow, k: k, transA: false, transB: false, alpha: 1, beta: 0,
                        pad: 0, isa: .active, seed: 920)
    #expect(err < 1e-6, "err=\(err)")
}

@Test(arguments: [500, 1100])
func sgemmInPlaceAMatchesPackedAndReference(k: Int) {
    // A row-major, unscaled A of at most 1 MiB is read in place (GEMMDriver.blockInPlaceA): on
    // AVX-512 all of k is packed per column block of B (k = 500: 256 columns; k = 1100: three k
    // blocks and 96-column blocks) and each 12-row panel runs every k block before the next.
    // The same product with A handed over transposed is packed instead (GEMMDriver.block, k
    // blocks outermost): same k blocks and per-element FMA order, so bit-identical. m = 130:
    // ten full panels and a 10-row edge panel, packed once and kept across column blocks.
    let m = 130, n = 300
    let a = randomBuffer(m * k, seed: 9, stream: 1), b = randomBuffer(k * n, seed: 9, stream: 2)
    var aT = [Float](repeating: 0, count: k * m)
    for i in 0..<m { for p in 0..<k { aT[p * m + i] = a[i * k + p] } }
    for beta in [Float(0), 0.5] {
        let c0 = randomBuffer(m * n, seed: 10, stream: 3)
        var inPlace = c0, packed = c0
        sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
              beta: beta, c: &inPlace, ldc: n)
        sgemm(transA: true, transB: false, m: m, n: n, k: k, alpha: 1, a: aT, lda: m, b: b, ldb: n,
              beta: beta, c: &packed, ldc: n)
        let mismatches = zip(inPlace, packed).filter { $0 != $1 }.count
        #expect(mismatches == 0, "k=\(k) beta=\(beta): \(mismatches) of \(m * n) elements differ")
    }
    for isa in isaPaths {
        for (i, (alpha, beta)) in [(Float(1), Float(0)), (-0.75, 0.5)].enumerated() {
            let err = checkGEMM(m: m, n: n, k: k, transA: false, transB: false, alpha: alpha, beta: beta,
                                pad: i, isa: isa, seed: 930 + UInt64(i))
            #expect(err < 1e-6, "isa=\(isa) k=\(k) alpha=\(alpha) beta=\(beta) err=\(err)")
        }
    }
}
