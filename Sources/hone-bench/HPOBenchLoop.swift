import Foundation
import HoneTune

/// Runs one seed of a benchmark through a real `Study` on in-memory storage (heartbeats off:
/// one process), so the cost per trial includes the study machinery, not just the sampler.
struct HPOBenchLoop {
    let function: HPOBenchFunction
    let sampler: any Sampler

    struct Result {
        var bestValue: Double
        var hypervolume: Double
        var seconds: Double
        /// Mean seconds per trial over the last tenth of the run.
        var tailSecondsPerTrial: Double
        /// The same in process CPU time (robust to a loaded machine; one thread does the work).
        var tailCPUSecondsPerTrial: Double
    }

    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    func run(trials n: Int) throws -> Result {
        let directions = [StudyDirection](repeating: .minimize, count: function.objectives)
        let study = try Study(name: "bench-\(function.name)", directions: directions, sampler: sampler,
                              storage: InMemoryStorage(), heartbeat: .off)
        var best = Double.infinity
        let clock = ContinuousClock()
        let start = clock.now
        var tailStart = start
        var tailCPU = Self.cpuSeconds()
        let tailFrom = n - max(1, n / 10)
        var x = [Double](repeating: 0, count: function.bounds.count)
        for i in 0..<n {
            if i == tailFrom { tailStart = clock.now; tailCPU = Self.cpuSeconds() }
            let trial = try study.ask()
            for (j, (name, low, high)) in function.bounds.enumerated() {
                x[j] = try trial.suggestFloat(name, low...high)
            }
            let y = function.evaluate(x)
            try study.tell(trial, values: y)
            if function.objectives == 1 { best = min(best, y[0]) }
        }
        let end = clock.now
        let endCPU = Self.cpuSeconds()
        var hv = 0.0
        if function.objectives > 1 {
            hv = Hypervolume.compute(try study.trials(states: [.complete]).compactMap { $0.values },
                                     reference: function.reference)
        }
        func secs(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        return Result(bestValue: best, hypervolume: hv, seconds: secs(end - start),
                      tailSecondsPerTrial: secs(end - tailStart) / Double(n - tailFrom),
                      tailCPUSecondsPerTrial: (endCPU - tailCPU) / Double(n - tailFrom))
    }
}
