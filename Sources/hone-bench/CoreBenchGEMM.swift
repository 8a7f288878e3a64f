import HoneCompute
import HoneKernels

/// GEMM and FMA-peak benchmarks for `hone-bench core`.
enum CoreBenchGEMM {
    /// A GEMM shape; `transA`/`transB` say how operands are stored (see BENCHMARKS.md).
    struct Shape { let m, n, k: Int; let transA, transB: Bool }

    static func fmaPeak(_ timer: BenchTimer) {
        let iters: Int64 = 1_000_000
        var flops = 0.0
        let s = timer.seconds { flops = hone_fma_peak_loop(iters, Int32(InstructionSet.active.rawValue)) }
        emitJSON([("bench", "fma_peak"), ("threads", 1), ("gflops", flops / s * 1e-9)])
    }

    static func square(_ timer: BenchTimer, threads: Int, quick: Bool) {
        let sizes = quick ? [128, 512, 1024] : [128, 256, 512, 1024, 2048]
        for s in sizes { run(timer, Shape(m: s, n: s, k: s, transA: false, transB: false), threads: threads) }
    }

    /// The MLP of the networks issue, batch 128: 784→256→128→10, weights stored in×out.
    /// forward Y = X·W (m=128, k=in, n=out); dX = dY·Wᵀ (m=128, k=out, n=in);
    /// dW = Xᵀ·dY (m=in, k=128, n=out).
    static var mlpShapes: [Shape] {
        var shapes: [Shape] = []
        for (i, o) in [(784, 256), (256, 128), (128, 10)] {
            shapes.append(Shape(m: 128, n: o, k: i, transA: false, transB: false))
            shapes.append(Shape(m: 128, n: i, k: o, transA: false, transB: true))
            shapes.append(Shape(m: i, n: o, k: 128, transA: true, transB: false))
        }
        return shapes
    }

    static func mlp(_ timer: BenchTimer, threads: Int) {
        for s in mlpShapes { run(timer, s, threads: threads) }
    }

    static func run(_ timer: BenchTimer, _ s: Shape, threads: Int) {
        let a = benchBuffer(s.m * s.k, seed: 1), b = benchBuffer(s.k * s.n, seed: 2)
        let c = benchBuffer(s.m * s.n, seed: 3)
        defer { hone_free(a); hone_free(b); hone_free(c) }
        let t = timer.seconds {
            sgemm(transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: 1,
                  a: a, lda: s.transA ? s.m : s.k, b: b, ldb: s.transB ? s.k : s.n,
                  beta: 0, c: c, ldc: s.n)
        }
        emitJSON([("bench", "gemm"), ("m", s.m), ("n", s.n), ("k", s.k), ("threads", threads),
                  ("gflops", 2.0 * Double(s.m * s.n * s.k) / t * 1e-9)])
    }
}
