import HoneKernels
import Synchronization
import Foundation

/// Thread settings and the data-parallel loop every kernel uses.
///
/// ```swift
/// Compute.threadCount = 2
/// Compute.parallelFor(1000, minChunk: 64) { range in
///     for i in range { out[i] = f(i) }
/// }
/// ```
public enum Compute {
    private static let threads = Atomic<Int>(Compute.defaultThreadCount())

    /// Worker threads used by kernels. Default: env `HONE_THREADS`, else the active processor
    /// count. Settable at run time (benchmarks compare at equal thread counts); values below 1
    /// are treated as 1.
    public static var threadCount: Int {
        get { threads.load(ordering: .relaxed) }
        set { threads.store(max(1, newValue), ordering: .relaxed) }
    }

    static func defaultThreadCount() -> Int {
        if let s = ProcessInfo.processInfo.environment["HONE_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// True while the calling thread is inside a `parallelFor` body.
    static var insideParallelRegion: Bool { hone_parallel_depth_get() > 0 }

    /// Runs `body` over `[0, count)` split into contiguous chunks across the pool and blocks
    /// until every chunk is done. Each index is covered exactly once. Chunks hold at least
    /// `minChunk` indices (except possibly the last). Safe from any thread; a call made from
    /// inside a body runs serially on the calling thread.
    public static func parallelFor(_ count: Int, minChunk: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let t = threadCount
        let maxChunks = max(1, count / max(1, minChunk))
        let chunks = min(t, maxChunks)
        if chunks <= 1 || insideParallelRegion {
            body(0..<count)
            return
        }
        ThreadPool.shared.run(chunks: chunks) { c in
            let lo = c * count / chunks, hi = (c + 1) * count / chunks
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Runs `body(worker)` for `worker` in `0..<workers` concurrently (one task per worker)
    /// and blocks until all return. Used by kernels that keep per-worker scratch.
    static func forEachWorker(_ workers: Int, _ body: (Int) -> Void) {
        if workers <= 1 || insideParallelRegion {
            for w in 0..<max(1, workers) { body(w) }
            return
        }
        ThreadPool.shared.run(chunks: workers, body)
    }
}
