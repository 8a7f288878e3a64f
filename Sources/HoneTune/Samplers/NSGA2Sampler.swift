import Foundation
import HoneRandom

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// NSGA-II for multi-objective studies (Deb, Pratap, Agarwal & Meyarivan, "A fast and elitist
/// multiobjective genetic algorithm: NSGA-II", IEEE TEC 6(2), 2002).
///
/// Generation 0 is sampled at random. Each later trial is a child of two parents chosen by
/// binary tournament (lower non-domination rank, then larger crowding distance) from the
/// parent population, which is the elitist selection (``Pareto/selectBest(_:count:)``) of the
/// previous parents plus the previous generation's COMPLETE trials. Numerical parameters
/// (scaled to [0, 1], log parameters in log space) use simulated binary crossover (SBX,
/// η_c = 20, each variable with probability ½) and polynomial mutation (η_m = 20) — Deb's
/// operators; categoricals use uniform crossover and a random resample as mutation.
///
/// The sampler keeps no state: each trial's generation is stored in its system attributes
/// (`nsga2:generation`) and everything else is rebuilt from the finished trials, so separate
/// worker processes cooperate. Defaults: population 50, crossover probability 0.9, mutation
/// probability 1/number of parameters (as Optuna's `NSGAIISampler`, whose default crossover is
/// uniform instead of SBX).
///
/// ```swift
/// let study = try Study(name: "mo", directions: [.minimize, .minimize], sampler: NSGA2Sampler(seed: 1))
/// ```
public struct NSGA2Sampler: Sampler {
    public var seed: UInt64
    public var populationSize: Int
    public var crossoverProbability: Double
    /// nil: 1 / number of parameters.
    public var mutationProbability: Double?
    public var crossoverEta: Double
    public var mutationEta: Double
    let cache = FinishedTrialCache()
    let memo = ParentMemo()

    /// Memo of each generation's parent population, keyed by the identity (id and completion
    /// time) of the trials it was selected from; recomputed whenever those differ.
    final class ParentMemo: @unchecked Sendable {
        struct Entry { var key: [Double]; var parents: [(index: Int, id: Int64)] }
        let lock = NSLock()
        var entries: [Entry] = []
    }

    public init(seed: UInt64 = 0, populationSize: Int = 50, crossoverProbability: Double = 0.9,
                mutationProbability: Double? = nil, crossoverEta: Double = 20, mutationEta: Double = 20) {
        precondition(populationSize >= 2, "NSGA2Sampler: populationSize must be at least 2, got \(populationSize)")
        self.seed = seed; self.populationSize = populationSize
        self.crossoverProbability = crossoverProbability; self.mutationProbability = mutationProbability
        self.crossoverEta = crossoverEta; self.mutationEta = mutationEta
    }

    static let generationKey = "nsga2:generation"

    public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> [String: Distribution] {
        SamplerSpace.cachedIntersection(cache, study)
    }

    public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial,
                                  name: String, distribution: Distribution) -> Double {
        SamplerSpace.independentUniform(seed: seed, trial: trial, name: name, distribution)
    }

    public func systemAttributes(study: StudySnapshot, trial: FrozenTrial) -> [String: String] {
        [Self.generationKey: String(currentGeneration(study).generation)]
    }

    /// Complete trials (indices into `study.trials`) per generation, and the generation a new
    /// trial belongs to: the first whose COMPLETE count is below the population size.
    func currentGeneration(_ study: StudySnapshot) -> (generation: Int, members: [[Int]]) {
        var members: [[Int]] = []
        let trials = study.trials
        for i in trials.indices where trials[i].state == .complete {
            guard trials[i].values?.count == study.directions.count,
                  let g = trials[i].systemAttributes[Self.generationKey].flatMap({ Int($0) }), g >= 0 else { continue }
            while members.count <= g { members.append([]) }
            members[g].append(i)
        }
        var g = 0
        while g < members.count && members[g].count >= populationSize { g += 1 }
        return (g, members)
    }

    /// The parent population for `generation` (indices into `study.trials`).
    func parents(_ study: StudySnapshot, generation: Int, members: [[Int]]) -> [Int] {
        let trials = study.trials
        memo.lock.lock(); defer { memo.lock.unlock() }
        var pop: [Int] = []
        var valid = true
        for g in 0..<generation {
            var key: [Double] = []
            for i in members[g] {
                key.append(Double(trials[i].id)); key.append(trials[i].completedAt?.timeIntervalSince1970 ?? -1)
            }
            if valid, g < memo.entries.count, memo.entries[g].key == key {
                // Parents are stored as (index, id); the index must still hold that trial.
                let cached = memo.entries[g].parents
                if cached.allSatisfy({ $0.index < trials.count && trials[$0.index].id == $0.id }) {
                    pop = cached.map(\.index); continue
                }
            }
            valid = false
            let pool = pop + members[g]
            let losses = pool.map { i in zip(trials[i].values!, study.directions).map { $1.loss($0) } }
            pop = Pareto.selectBest(losses, count: populationSize).map { pool[$0] }
            let entry = ParentMemo.Entry(key: key, parents: pop.map { (index: $0, id: trials[$0].id) })
            if g < memo.entries.count { memo.entries[g] = entry; memo.entries.removeSubrange((g + 1)...) }
            else { memo.entries.append(entry) }
        }
        return pop
    }

    public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                               space: [String: Distribution]) -> [String: Double] {
        let (generation, members) = currentGeneration(study)
        guard generation > 0, !space.isEmpty else { return [:] }
        let pop = parents(study, generation: generation, members: members)
        guard pop.count >= 2 else { return [:] }
        let names = SamplerSpace.sortedNames(space)
        let rows = cache.rows(study.trials, names: names, indices: pop)
        let usable = pop.indices.filter { rows[$0] != nil }
        guard usable.count >= 2 else { return [:] }
        // Rank and crowding inside the parent population, for the tournaments.
        let losses = usable.map { k in zip(study.trials[pop[k]].values!, study.directions).map { $1.loss($0) } }
        let rank = Pareto.ranks(losses)
        var crowd = [Double](repeating: 0, count: usable.count)
        for r in Set(rank) {
            let f = usable.indices.filter { rank[$0] == r }
            let cd = Pareto.crowding(f.map { losses[$0] })
            for (a, i) in f.enumerated() { crowd[i] = cd[a] }
        }
        var g = SamplerSpace.rng(seed: seed, trial: trial.number, purpose: "nsga2:relative")
        func tournament() -> Int {
            let a = Int(g.bounded(UInt64(usable.count))), b = Int(g.bounded(UInt64(usable.count)))
            if rank[a] != rank[b] { return rank[a] < rank[b] ? a : b }
            if crowd[a] != crowd[b] { return crowd[a] > crowd[b] ? a : b }
            return min(a, b)
        }
        let p1 = rows[usable[tournament()]]!, p2 = rows[usable[tournament()]]!
        let dists = names.map { space[$0]! }
        let pm = mutationProbability ?? 1 / Double(names.count)
        let cross = g.nextDouble() < crossoverProbability
        var out: [String: Double] = [:]
        for (j, d) in dists.enumerated() {
            var v: Double
            if d.isCategorical {
                v = cross && g.nextDouble() < 0.5 ? p2[j] : p1[j]
                if g.nextDouble() < pm { v = SamplerSpace.uniform(d, using: &g) }
            } else {
                var x1 = unit(p1[j], d), x2 = unit(p2[j], d)
                if cross && g.nextDouble() < 0.5 { (x1, x2) = sbx(x1, x2, using: &g) }
                var x = g.nextDouble() < 0.5 ? x1 : x2
                if !cross { x = unit(p1[j], d) }
                if g.nextDouble() < pm { x = polynomialMutation(x, using: &g) }
                v = fromUnitContinuous(x, d)
            }
            out[names[j]] = v
        }
        return out
    }

    /// Numerical value → [0, 1] (log space for log distributions; ints over [low−½, high+½]).
    func unit(_ v: Double, _ d: Distribution) -> Double { GPSampler.encode(v, d) }
    func fromUnitContinuous(_ u: Double, _ d: Distribution) -> Double { GPSampler.decode(u, d) }

    /// Simulated binary crossover on [0, 1] with bounds (Deb & Agrawal 1995; bounded form of
    /// Deb's NSGA-II code).
    func sbx(_ a: Double, _ b: Double, using g: inout SeededGenerator) -> (Double, Double) {
        if abs(a - b) < 1e-14 { return (a, b) }
        let y1 = min(a, b), y2 = max(a, b), eta = crossoverEta
        let u = g.nextDouble()
        func child(_ beta: Double) -> Double {
            let alpha = 2 - pow(beta, -(eta + 1))
            let betaq = u <= 1 / alpha ? pow(u * alpha, 1 / (eta + 1)) : pow(1 / (2 - u * alpha), 1 / (eta + 1))
            return betaq
        }
        let bq1 = child(1 + 2 * y1 / (y2 - y1))
        let c1 = 0.5 * ((y1 + y2) - bq1 * (y2 - y1))
        let bq2 = child(1 + 2 * (1 - y2) / (y2 - y1))
        let c2 = 0.5 * ((y1 + y2) + bq2 * (y2 - y1))
        let lo = min(max(c1, 0), 1), hi = min(max(c2, 0), 1)
        return g.nextDouble() < 0.5 ? (hi, lo) : (lo, hi)
    }

    /// Polynomial mutation on [0, 1] (Deb & Goyal 1996, bounded form).
    func polynomialMutation(_ x: Double, using g: inout SeededGenerator) -> Double {
        let eta = mutationEta, u = g.nextDouble()
        let mpow = 1 / (eta + 1)
        let dq: Double
        if u < 0.5 {
            let xy = 1 - x
            dq = pow(2 * u + (1 - 2 * u) * pow(xy, eta + 1), mpow) - 1
        } else {
            let xy = x
            dq = 1 - pow(2 * (1 - u) + 2 * (u - 0.5) * pow(xy, eta + 1), mpow)
        }
        return min(max(x + dq, 0), 1)
    }
}
