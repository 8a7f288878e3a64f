import Foundation
import HoneTune

/// A minimal sequential ask/evaluate/tell loop over an in-memory trial list, driving a
/// sampler exactly as a study does: relative search space → relative sample → system
/// attributes → independent samples for the rest → evaluate → COMPLETE.
struct HPOBenchLoop {
    let function: HPOBenchFunction
    let sampler: any Sampler

    struct Result {
        var bestValue: Double
        var hypervolume: Double
        var seconds: Double
        /// Mean seconds per trial over the last tenth of the run.
        var tailSecondsPerTrial: Double
    }

    func run(trials n: Int) -> Result {
        let dists = function.bounds.map { Distribution.float(low: $0.1, high: $0.2, log: false, step: nil) }
        let directions = [StudyDirection](repeating: .minimize, count: function.objectives)
        var trials: [FrozenTrial] = []
        trials.reserveCapacity(n)
        var best = Double.infinity
        let clock = ContinuousClock()
        let start = clock.now
        var tailStart = start
        let tailFrom = n - max(1, n / 10)
        for i in 0..<n {
            if i == tailFrom { tailStart = clock.now }
            var t = FrozenTrial(id: Int64(i), number: i, state: .running, startedAt: nil)
            trials.append(t)
            var study = StudySnapshot(name: "bench", directions: directions, trials: trials)
            let space = sampler.relativeSearchSpace(study: study, trial: t)
            let rel = space.isEmpty ? [:] : sampler.sampleRelative(study: study, trial: t, space: space)
            t.systemAttributes = sampler.systemAttributes(study: study, trial: t)
            var x = [Double](repeating: 0, count: dists.count)
            for (j, (name, _, _)) in function.bounds.enumerated() {
                let v: Double
                if let r = rel[name] { v = r } else {
                    study.trials[i] = t
                    v = sampler.sampleIndependent(study: study, trial: t, name: name, distribution: dists[j])
                }
                t.params[name] = v
                t.distributions[name] = dists[j]
                x[j] = v
            }
            let y = function.evaluate(x)
            t.values = y
            t.state = .complete
            trials[i] = t
            if function.objectives == 1 { best = min(best, y[0]) }
        }
        let end = clock.now
        var hv = 0.0
        if function.objectives > 1 {
            hv = Hypervolume.compute(trials.compactMap { $0.values }, reference: function.reference)
        }
        func secs(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        return Result(bestValue: best, hypervolume: hv, seconds: secs(end - start),
                      tailSecondsPerTrial: secs(end - tailStart) / Double(n - tailFrom))
    }
}
