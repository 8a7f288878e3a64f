import HoneCompute

/// Thresholds and the parallel loop used by the tensor ops (backed by `Compute.parallelFor`).

enum Parallel {
    /// Elementwise work below this many elements runs on the calling thread: waking workers
    /// costs a few microseconds, about what 32K simple float operations cost.
    static let elementThreshold = 1 << 15

    /// Splits `[0, count)` into contiguous chunks of at least `minChunk` indices across the pool.
    static func forRange(_ count: Int, minChunk: Int, _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        if count <= minChunk || Compute.threadCount <= 1 { body(0..<count); return }
        Compute.parallelFor(count, minChunk: minChunk, body)
    }

    /// Splits a flat element range, using the calling thread alone for small sizes.
    static func forElements(_ count: Int, _ body: (Range<Int>) -> Void) {
        if count < 2 * elementThreshold { body(0..<count); return }
        forRange(count, minChunk: elementThreshold, body)
    }
}
