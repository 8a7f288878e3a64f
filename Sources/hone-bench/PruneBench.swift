import ArgumentParser
import Foundation
import HoneRandom
import HoneTune

/// `hone-bench prune`: ASHA against an unpruned study on a synthetic learning-curve task.
///
/// Task (documented in docs/tuning.md): three hyperparameters — `lr` ∈ [1e-4, 1] (log),
/// `width` ∈ [8, 512] (log int), `dropout` ∈ [0, 0.5] — map to a validation-loss curve
///
///     v(t) = a + b·exp(−t/c) + ε_t,   t = 1…R,
///     u = log10(lr),
///     a = 0.05 + 0.08·(u + 2)² + 0.1·(9 − log2 width)/6 + 0.2·(dropout − 0.2)²   (final loss)
///     b = 1 + 0.5·dropout                                                       (initial gap)
///     c = 4·10^(−(u + 2)/2)                                                     (time constant)
///     ε_t ~ N(0, 0.005²), seeded by (seed, trial number, t)
///
/// so small learning rates converge slowly to good losses (curves cross) and the noise makes
/// early rankings unreliable. Both studies use the same random sampler seed, hence the same
/// configurations; the objective reports v(t) each step and returns v(R). The unpruned study
/// runs every trial for R steps; the ASHA study uses ``SuccessiveHalvingPruner``. Reported: the
/// fraction of the unpruned study's steps ASHA used and the relative gap between the best
/// values, per seed and as medians.
struct PruneBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "ASHA vs. no pruning on a synthetic learning-curve task.")

    @Option(help: "Trials per study.") var trials = 100
    @Option(help: "Training steps per full trial (R).") var steps = 100
    @Option(help: "Seeds (studies per arm).") var seeds = 10
    @Option(help: "ASHA reduction factor η.") var eta = 3
    @Option(help: "ASHA min resource r (rungs at r·η^k).") var minResource = 10

    static func curve(lr: Double, width: Int, dropout: Double, t: Int, noise: Double) -> Double {
        let u = log10(lr)
        let a = 0.05 + 0.08 * (u + 2) * (u + 2) + 0.1 * (9 - log2(Double(width))) / 6 + 0.2 * (dropout - 0.2) * (dropout - 0.2)
        let b = 1 + 0.5 * dropout
        let c = 4 * pow(10, -(u + 2) / 2)
        return a + b * exp(-Double(t) / c) + noise
    }

    /// Runs one study; returns (best final value, total steps trained).
    static func runStudy(seed: UInt64, trials: Int, steps: Int, pruner: any Pruner) throws -> (best: Double, steps: Int) {
        let study = try Study(name: "curve", sampler: RandomSampler(seed: seed), pruner: pruner, heartbeat: .off)
        try study.optimize(trials: trials) { trial in
            let lr = try trial.suggestFloat("lr", 1e-4...1, log: true)
            let width = try trial.suggestInt("width", 8...512, log: true)
            let dropout = try trial.suggestFloat("dropout", 0...0.5)
            var g = SeededGenerator(seed: seed, stream: UInt64(trial.number) &+ 0x5EED)
            var v = 0.0
            for t in 1...steps {
                v = curve(lr: lr, width: width, dropout: dropout, t: t, noise: 0.005 * g.normal())
                try trial.report(v, step: t)
                if t < steps, try trial.shouldPrune() { throw TrialPruned() }
            }
            return v
        }
        let used = try study.trials().reduce(0) { $0 + $1.intermediateValues.count }
        return (try study.bestValue(), used)
    }

    func run() throws {
        var fractions: [Double] = [], gaps: [Double] = []
        var perSeed: [JSONText] = []
        for s in 0..<seeds {
            let seed = UInt64(s)
            let full = try Self.runStudy(seed: seed, trials: trials, steps: steps, pruner: NopPruner())
            let asha = try Self.runStudy(seed: seed, trials: trials, steps: steps,
                                         pruner: SuccessiveHalvingPruner(minResource: minResource, reductionFactor: eta))
            let fraction = Double(asha.steps) / Double(full.steps)
            let gap = (asha.best - full.best) / abs(full.best)
            fractions.append(fraction); gaps.append(gap)
            perSeed.append(.object(["seed": .int(s), "step_fraction": .double(round4(fraction)),
                                    "rel_gap": .double(round4(gap)), "best_unpruned": .double(round4(full.best)),
                                    "best_asha": .double(round4(asha.best))]))
        }
        let out: JSONText = .object([
            "bench": .string("prune"), "task": .string("learning-curve"), "pruner": .string("asha"),
            "trials": .int(trials), "steps": .int(steps), "seeds": .int(seeds), "eta": .int(eta),
            "min_resource": .int(minResource),
            "median_step_fraction": .double(round4(median(fractions))),
            "median_rel_gap": .double(round4(median(gaps))),
            "seeds_within_1pct_and_40pct_steps": .int(zip(fractions, gaps).filter { $0 <= 0.4 && $1 <= 0.01 }.count),
            "per_seed": .array(perSeed),
        ])
        print(out.serialized(spaced: true))
    }
}

private func round4(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }
private func median(_ v: [Double]) -> Double {
    let s = v.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
