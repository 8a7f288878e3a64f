import Testing
import HoneTune

private let zdtSpace: [(String, Distribution)] = (0..<6).map { ("x\($0)", .float(low: 0, high: 1, log: false, step: nil)) }
private func zdt1(_ x: [Double]) -> [Double] {
    let g = 1 + 9 * x.dropFirst().reduce(0, +) / Double(x.count - 1)
    return [x[0], g * (1 - (x[0] / g).squareRoot())]
}

@Test func nsga2TracksGenerationsAndImprovesOnRandomGeneration() {
    var loop = SamplerTestLoop(sampler: NSGA2Sampler(seed: 3, populationSize: 20), space: zdtSpace,
                               directions: [.minimize, .minimize])
    loop.run(200, zdt1)
    let gens = loop.trials.map { Int($0.systemAttributes["nsga2:generation"]!)! }
    #expect(gens.prefix(20).allSatisfy { $0 == 0 })
    #expect(gens.last == 9)
    let hvFirst = Hypervolume.compute(loop.trials.prefix(20).map { $0.values! }, reference: [1.1, 1.1])
    let hvAll = Hypervolume.compute(loop.trials.map { $0.values! }, reference: [1.1, 1.1])
    #expect(hvAll > hvFirst + 0.1)
    // Same seed, same children.
    var again = SamplerTestLoop(sampler: NSGA2Sampler(seed: 3, populationSize: 20), space: zdtSpace,
                                directions: [.minimize, .minimize])
    again.run(60, zdt1)
    #expect(again.trials.map(\.params) == Array(loop.trials.prefix(60)).map(\.params))
}

@Test func nsga2ChildrenStayInsideMixedDistributions() {
    var loop = SamplerTestLoop(sampler: NSGA2Sampler(seed: 1, populationSize: 8), space: TestFunctions.mixedSpace,
                               directions: [.minimize, .maximize])
    loop.run(48) { x in [x[0] + x[1], x[2] + x[3] + x[4]] }
    for t in loop.trials {
        for (name, d) in TestFunctions.mixedSpace { #expect(d.contains(t.params[name]!)) }
    }
}
