import HoneCompute
import HoneKernels

/// Memory-throughput benchmarks for `hone-bench core`: exp and add over 16 Mi floats
/// (GB/s counts bytes read + written: 8 per element for exp, 12 for add) and row softmax of a
/// 4096 × 1000 matrix (8 bytes per element).
enum CoreBenchVector {
    static func all(_ timer: BenchTimer, threads: Int, quick: Bool) {
        let n = quick ? 1 << 22 : 1 << 24
        let x = benchBuffer(n, seed: 1), z = benchBuffer(n, seed: 2), y = benchBuffer(n, seed: 3)
        defer { hone_free(x); hone_free(z); hone_free(y) }
        for i in 0..<n { x[i] *= 10 }
        var t = timer.seconds { VectorMath.exp(x, y, count: n) }
        emitJSON([("bench", "exp"), ("count", n), ("threads", threads), ("gbps", 8.0 * Double(n) / t * 1e-9)])
        t = timer.seconds { VectorMath.add(x, z, y, count: n) }
        emitJSON([("bench", "add"), ("count", n), ("threads", threads), ("gbps", 12.0 * Double(n) / t * 1e-9)])
        let rows = 4096, cols = 1000
        t = timer.seconds { VectorMath.softmaxRows(x, y, rows: rows, cols: cols) }
        emitJSON([("bench", "softmax"), ("rows", rows), ("cols", cols), ("threads", threads),
                  ("gbps", 8.0 * Double(rows * cols) / t * 1e-9)])
    }
}
