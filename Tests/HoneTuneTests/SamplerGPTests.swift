import Testing
import HoneTune

@Test func gpIsDeterministicAndStaysInsideMixedDistributions() {
    func run(_ seed: UInt64) -> [[String: Double]] {
        var loop = SamplerTestLoop(sampler: GPSampler(seed: seed, candidates: 256), space: TestFunctions.mixedSpace)
        loop.run(16) { x in [(log10(x[0]) + 3) * (log10(x[0]) + 3) + x[1] + x[2] / 512 + x[3] + (x[4] == 1 ? 0 : 1)] }
        return loop.trials.map(\.params)
    }
    let a = run(4), b = run(4)
    #expect(a == b)
    for p in a {
        for (name, d) in TestFunctions.mixedSpace { #expect(d.contains(p[name]!), "\(name)=\(p[name]!) outside \(d)") }
    }
    // The GP trials (after 10 startup trials) carry their fitted hyperparameters.
    var loop = SamplerTestLoop(sampler: GPSampler(seed: 1, candidates: 128), space: TestFunctions.braninSpace)
    loop.run(12, TestFunctions.branin)
    #expect(loop.trials[11].systemAttributes["gp:params"] != nil)
    #expect(loop.trials[5].systemAttributes["gp:params"] == nil)
}

@Test func gpFindsBraninOptimumQuickly() {
    var loop = SamplerTestLoop(sampler: GPSampler(seed: 0, candidates: 512), space: TestFunctions.braninSpace)
    let best = loop.run(40, TestFunctions.branin)
    #expect(best - TestFunctions.braninOptimum < 0.01)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
