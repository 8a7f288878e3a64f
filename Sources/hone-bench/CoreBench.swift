import ArgumentParser
import Foundation
import HoneCompute
import HoneKernels

/// `hone-bench core`: GEMM, FMA peak, conv2d and vector-kernel throughput as JSON lines.
/// Timing: after one warm-up call, the best of several timed batches (each ≥ a minimum
/// duration) is reported; `benchmarks/compare-core.py` times torch and NumPy the same way.
struct CoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core", abstract: "Numeric-core kernels: gemm, fma_peak, conv2d, softmax/exp/add.")

    @Option(help: "Comma-separated thread counts (default 1,2).")
    var threads: String = "1,2"

    @Flag(help: "Shorter timing batches and fewer sizes.")
    var quick = false

    @Option(help: "Timed batches per measurement; the best is reported (default 5, 3 with --quick). More batches help on a busy machine.")
    var batches: Int?

    @Flag(help: "Time with process CPU time instead of wall clock (for tuning at 1 thread on a busy machine).")
    var cpuClock = false

    @Option(help: "Comma-separated subset of: gemm,mlp,fma,conv,convphase,vector (default all but convphase).")
    var only: String = "gemm,mlp,fma,conv,vector"

    mutating func run() throws {
        let counts = threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let parts = Set(only.split(separator: ",").map { String($0) })
        let timer = BenchTimer(minSeconds: quick ? 0.05 : 0.25, batches: max(1, batches ?? (quick ? 3 : 5)), cpuClock: cpuClock)
        if parts.contains("fma") { CoreBenchGEMM.fmaPeak(timer) }
        for t in counts {
            Compute.threadCount = t
            if parts.contains("gemm") { CoreBenchGEMM.square(timer, threads: t, quick: quick) }
            if parts.contains("mlp") { CoreBenchGEMM.mlp(timer, threads: t) }
            if parts.contains("conv") { CoreBenchConv.layers(timer, threads: t) }
            if parts.contains("convphase") { CoreBenchConv.phases(timer, threads: t) }
            if parts.contains("vector") { CoreBenchVector.all(timer, threads: t, quick: quick) }
        }
    }
}

/// Best-of-batches wall-clock timer.
struct BenchTimer {
    let minSeconds: Double
    let batches: Int
    var cpuClock = false

    /// Seconds per call of `body`: best over `batches` batches, each repeating `body` until
    /// at least `minSeconds / batches` elapsed.
    func seconds(_ body: () -> Void) -> Double {
        body()
        var reps = 1
        while true {   // calibrate the repetition count
            let t = measure(reps, body)
            if t >= minSeconds / Double(batches) / 4 || reps >= 1 << 20 { break }
            reps *= 2
        }
        var best = Double.infinity
        var spent = 0.0
        for _ in 0..<batches {
            let t = measure(reps, body)
            spent += t
            best = min(best, t / Double(reps))
            if spent > minSeconds * 4 * max(1, Double(batches) / 5) { break }
        }
        return best
    }

    private func measure(_ reps: Int, _ body: () -> Void) -> Double {
        let start = now()
        for _ in 0..<reps { body() }
        return now() - start
    }

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(cpuClock ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

/// One JSON line with keys in the given order.
func emitJSON(_ fields: [(String, Any)]) {
    let body = fields.map { key, value -> String in
        let v: String
        switch value {
        case let s as String: v = "\"\(s)\""
        case let d as Double: v = String(format: "%.4g", d)
        default: v = "\(value)"
        }
        return "\"\(key)\": \(v)"
    }.joined(separator: ", ")
    print("{\(body)}")
}

/// Buffer of `count` floats filled with a deterministic pattern in [-1, 1).
func benchBuffer(_ count: Int, seed: Int) -> UnsafeMutablePointer<Float> {
    // Allocated as Hone's tensors are (hone_alloc: huge pages from 2 MiB, like NumPy's arrays);
    // free with `hone_free`.
    let raw = hone_alloc(Int64(max(1, count) * MemoryLayout<Float>.stride))!
    let p = raw.bindMemory(to: Float.self, capacity: max(1, count))
    var x = UInt32(truncatingIfNeeded: seed &* 2654435761 &+ 12345)
    for i in 0..<max(1, count) {
        x = x &* 1664525 &+ 1013904223
        p[i] = Float(x >> 8) / Float(1 << 23) - 1
    }
    return p
}
