import Testing
import HoneTune

@Test func tpeIsDeterministicPerSeedAndTrial() {
    func params(seed: UInt64) -> [[String: Double]] {
        var loop = SamplerTestLoop(sampler: TPESampler(seed: seed), space: TestFunctions.braninSpace)
        loop.run(30, TestFunctions.branin)
        return loop.trials.map(\.params)
    }
    let a = params(seed: 7), b = params(seed: 7), c = params(seed: 8)
    #expect(a == b)
    #expect(a != c)
    // Different trial numbers never repeat a point.
    #expect(Set(a.map { [$0["x1"]!, $0["x2"]!] }).count == a.count)
}

@Test func tpeValuesStayInsideTheirDistributions() {
    for multivariate in [true, false] {
        var loop = SamplerTestLoop(sampler: TPESampler(seed: 3, multivariate: multivariate),
                                   space: TestFunctions.mixedSpace)
        loop.run(60) { x in [(x[0] - 0.01) * (x[0] - 0.01) + x[1] + x[2] / 512 + x[3] + x[4]] }
        for t in loop.trials {
            for (name, d) in TestFunctions.mixedSpace {
                #expect(d.contains(t.params[name]!), "\(name)=\(t.params[name]!) outside \(d)")
            }
        }
    }
}

@Test func tpeBeatsRandomOnBraninWithASmallBudget() {
    // Median over 5 seeds at 60 trials; random search is TPE that never leaves its startup phase.
    func median(_ startup: Int) -> Double {
        var r: [Double] = []
        for s in 0..<5 {
            var loop = SamplerTestLoop(sampler: TPESampler(seed: UInt64(s), startupTrials: startup),
                                       space: TestFunctions.braninSpace)
            r.append(loop.run(60, TestFunctions.branin) - TestFunctions.braninOptimum)
        }
        return r.sorted()[2]
    }
    let tpe = median(10), random = median(Int.max)
    #expect(tpe < random)
    #expect(tpe < 0.1)
}

@Test func tpeConstantLiarAvoidsRunningTrialsPoints() {
    // Two asks without tells after warm-up: the second must differ from the first.
    var loop = SamplerTestLoop(sampler: TPESampler(seed: 1), space: TestFunctions.braninSpace)
    loop.run(20, TestFunctions.branin)
    let a = loop.ask(), b = loop.ask()
    #expect(a.params != b.params)
    #expect(loop.snapshot.trials.filter { $0.state == .running }.count == 2)
}

@Test func tpeGammaAndWeightsFollowTheStatedRule() {
    let t = TPESampler()
    #expect(t.gamma(100, objectives: 1) == 15)
    #expect(t.gamma(1000, objectives: 1) == 40)
    #expect(t.gamma(1000, objectives: 2) == 150)
    let o = TPESampler.optuna(seed: 0)
    #expect(o.gamma(1000, objectives: 1) == 25 && o.gamma(11, objectives: 1) == 2)
}

@Test func multiObjectiveTPEIsDeterministicAndInside() {
    func run() -> [[String: Double]] {
        var loop = SamplerTestLoop(sampler: TPESampler(seed: 9), space: TestFunctions.mixedSpace,
                                   directions: [.minimize, .maximize])
        loop.run(40) { x in [x[0] * 100 + x[1], x[2] + x[3] * x[4]] }
        for t in loop.trials {
            for (name, d) in TestFunctions.mixedSpace { #expect(d.contains(t.params[name]!)) }
        }
        return loop.trials.map(\.params)
    }
    #expect(run() == run())
}

@Test func builtInSamplersAreRegistered() throws {
    let space: [String: Distribution] = ["n": .int(low: 1, high: 4, log: false, step: 1)]
    for name in ["tpe", "gp", "cmaes", "sobol", "nsga2", "grid"] {
        _ = try SamplerRegistry.make(name, SamplerOptions(seed: 1, space: space))
        #expect(SamplerRegistry.names.contains(name))
    }
}
