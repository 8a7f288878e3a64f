import ArgumentParser
import Foundation
import HoneTune

/// `hone-bench hpo`: best regret (single objective) or hypervolume (multi-objective) of a
/// sampler on a standard test function, median over seeds, plus the sampler's cost per trial.
///
/// ```
/// swift run -c release hone-bench hpo --function branin --sampler tpe --trials 200 --seeds 20
/// ```
struct HPOBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hpo",
        abstract: "Sampler quality and overhead on Branin, Hartmann-6, Rosenbrock-4, Styblinski-Tang-5, Ackley-2, ZDT1, ZDT2."
    )

    @Option(help: "One of: \(HPOBenchFunction.names.joined(separator: ", ")), or all.")
    var function: String = "branin"
    @Option(help: "A SamplerRegistry name (random, tpe, gp, sobol, cmaes, nsga2, …) or tpe-independent.")
    var sampler: String = "tpe"
    @Option var trials: Int = 200
    @Option var seeds: Int = 20
    @Option(help: "First seed.") var seedStart: Int = 0
    @Option(help: "TPE: EI candidates per trial (default: the sampler's).") var eiCandidates: Int?
    @Option(help: "TPE: good-set fraction γ (default: the sampler's).") var gammaFraction: Double?
    @Option(help: "TPE: cap on the good-set size (default: the sampler's).") var gammaCap: Int?
    @Option(help: "TPE: prior kernel weight (default: the sampler's).") var priorWeight: Double?
    @Option(help: "TPE: recombined candidates (default: the sampler's).") var recombined: Int?
    @Option(help: "GP: prior mean, worstObserved or observedMean (Optuna's) (default: the sampler's).")
    var gpPriorMean: String?

    func run() throws {
        let names = function == "all" ? HPOBenchFunction.names : [function]
        for name in names {
            guard let f = HPOBenchFunction.named(name) else {
                throw ValidationError("--function: unknown function '\(name)'; expected one of \(HPOBenchFunction.names.joined(separator: ", "))")
            }
            var regrets: [Double] = [], hvs: [Double] = [], secs: [Double] = [], tails: [Double] = [], cpuTails: [Double] = []
            for s in seedStart..<(seedStart + seeds) {
                let smp = try makeSampler(sampler, seed: UInt64(s))
                let r = try HPOBenchLoop(function: f, sampler: smp).run(trials: trials)
                if f.objectives == 1 { regrets.append(r.bestValue - f.optimum) } else {
                    hvs.append(r.hypervolume); regrets.append(f.optimum - r.hypervolume)
                }
                secs.append(r.seconds); tails.append(r.tailSecondsPerTrial); cpuTails.append(r.tailCPUSecondsPerTrial)
            }
            var obj: [String: Any] = [
                "function": name, "sampler": sampler, "trials": trials, "seeds": seeds,
                "median_regret": median(regrets), "regrets": regrets,
                "ms_per_trial": median(secs) * 1000 / Double(trials),
                "ms_per_trial_last10pct": median(tails) * 1000,
                "cpu_ms_per_trial_last10pct": median(cpuTails) * 1000,
                "wall_s_per_seed": median(secs),
            ]
            if f.objectives > 1 {
                obj["median_hypervolume"] = median(hvs); obj["hypervolumes"] = hvs
                obj["reference_point"] = f.reference
            }
            let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        if s.isEmpty { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
    }

    func makeSampler(_ name: String, seed: UInt64) throws -> any Sampler {
        switch name {
        case "tpe", "tpe-independent":
            var t = TPESampler(seed: seed, multivariate: name == "tpe" ? nil : false)
            if let v = eiCandidates { t.eiCandidates = v }
            if let v = gammaFraction { t.gammaFraction = v }
            if let v = gammaCap { t.gammaCap = v }
            if let v = priorWeight { t.priorWeight = v }
            if let v = recombined { t.recombinedCandidates = v }
            return t
        case "gp" where gpPriorMean != nil:
            guard let m = GPSampler.PriorMean(rawValue: gpPriorMean!) else {
                throw ValidationError("--gp-prior-mean: unknown value '\(gpPriorMean!)'; expected one of \(GPSampler.PriorMean.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return GPSampler(seed: seed, priorMean: m)
        default:
            return try SamplerRegistry.make(name, SamplerOptions(seed: seed))
        }
    }
}
