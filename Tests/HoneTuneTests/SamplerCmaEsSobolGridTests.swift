import Testing
import HoneTune
import HoneRandom

@Test func cmaesConvergesOnASphereAndTracksGenerations() {
    let space: [(String, Distribution)] = (0..<4).map { ("x\($0)", .float(low: -5, high: 5, log: false, step: nil)) }
    var loop = SamplerTestLoop(sampler: CmaEsSampler(seed: 2), space: space)
    let best = loop.run(300) { x in [x.reduce(0) { $0 + ($1 - 1) * ($1 - 1) }] }
    #expect(best < 1e-3)
    // λ = 4 + ⌊3 ln 4⌋ = 8: generation g holds trials 1 + 8g … (trial 0 precedes any COMPLETE trial).
    #expect(loop.trials[0].systemAttributes["cmaes:generation"] == nil)
    #expect(loop.trials[1].systemAttributes["cmaes:generation"] == "0")
    #expect(loop.trials[9].systemAttributes["cmaes:generation"] == "1")
    var again = SamplerTestLoop(sampler: CmaEsSampler(seed: 2), space: space)
    again.run(40) { x in [x.reduce(0) { $0 + ($1 - 1) * ($1 - 1) }] }
    #expect(again.trials.map(\.params) == Array(loop.trials.prefix(40)).map(\.params))
    // Integer and log parameters stay inside.
    var mixed = SamplerTestLoop(sampler: CmaEsSampler(seed: 1), space: TestFunctions.mixedSpace)
    mixed.run(40) { x in [x[0] + x[1] + x[2] + x[3] + x[4]] }
    for t in mixed.trials { for (n, d) in TestFunctions.mixedSpace { #expect(d.contains(t.params[n]!)) } }
}

@Test func sobolUnscrambledMatchesTheKnownSequence() {
    let s = SobolSequence(dimensions: 3, scrambleSeed: nil)
    #expect(s.point(0) == [0, 0, 0])
    #expect(s.point(1) == [0.5, 0.5, 0.5])
    #expect(s.point(2) == [0.75, 0.25, 0.25])
    #expect(s.point(3) == [0.25, 0.75, 0.75])
    #expect(s.point(4) == [0.375, 0.375, 0.625])
}

/// L2-star discrepancy by Warnock's formula.
private func l2Star(_ pts: [[Double]]) -> Double {
    let n = Double(pts.count), d = pts[0].count
    var a = 0.0
    for p in pts { a += p.reduce(1) { $0 * (1 - $1 * $1) } }
    var b = 0.0
    for p in pts { for q in pts { var prod = 1.0; for k in 0..<d { prod *= 1 - max(p[k], q[k]) }; b += prod } }
    return (pow(1.0 / 3.0, Double(d)) - pow(2, 1 - Double(d)) / n * a + b / (n * n)).squareRoot()
}

@Test func scrambledSobolHasLowerDiscrepancyThanRandom() {
    let n = 256, d = 4
    let s = SobolSequence(dimensions: d, scrambleSeed: 11)
    let sob = (0..<n).map { s.point($0) }
    // Balanced: every coordinate puts exactly n/2 points in each half.
    for k in 0..<d { #expect(sob.filter { $0[k] < 0.5 }.count == n / 2) }
    var g = SeededGenerator(seed: 11)
    let rnd = (0..<n).map { _ in (0..<d).map { _ in g.nextDouble() } }
    #expect(l2Star(sob) < 0.5 * l2Star(rnd))
    // Scrambling with another seed changes the points but keeps them in [0, 1).
    let t = SobolSequence(dimensions: d, scrambleSeed: 12)
    #expect(t.point(5) != s.point(5))
    #expect(sob.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 < 1 } })
    // 128 dimensions are available.
    #expect(SobolSequence(dimensions: 128, scrambleSeed: 1).point(3).count == 128)
}

@Test func sobolSamplerIsDeterministicAndInside() {
    var a = SamplerTestLoop(sampler: SobolSampler(seed: 3), space: TestFunctions.mixedSpace)
    a.run(30) { x in [x[0]] }
    var b = SamplerTestLoop(sampler: SobolSampler(seed: 3), space: TestFunctions.mixedSpace)
    b.run(30) { x in [x[0]] }
    #expect(a.trials.map(\.params) == b.trials.map(\.params))
    for t in a.trials { for (n, d) in TestFunctions.mixedSpace { #expect(d.contains(t.params[n]!)) } }
}

@Test func gridVisitsEveryPointOnceThenRepeats() throws {
    let space: [String: Distribution] = [
        "lr": .float(low: 1e-4, high: 1e-1, log: true, step: nil),
        "layers": .int(low: 1, high: 3, log: false, step: 1),
        "opt": .categorical(choices: [.string("adam"), .string("sgd")]),
    ]
    let grid = try GridSampler(space: space, values: ["lr": [1e-4, 1e-2]], shuffle: true)
    #expect(grid.count == 12)
    var loop = SamplerTestLoop(sampler: grid, space: space.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    loop.run(12) { x in [x[0]] }
    let seen = Set(loop.trials.map { [$0.params["layers"]!, $0.params["lr"]!, $0.params["opt"]!] })
    #expect(seen.count == 12)
    // A continuous float without values, a value outside its distribution: clear errors.
    #expect(throws: TuneError.self) { try GridSampler(space: space) }
    #expect(throws: TuneError.self) { try GridSampler(space: space, values: ["lr": [0.5]]) }
    #expect(throws: TuneError.self) { try SamplerRegistry.make("grid", SamplerOptions(seed: 0)) }
}

@Test func jacobiEigenMatchesHandExamples() {
    let e = SymmetricEigen([2, 1, 1, 2], n: 2)
    #expect(abs(e.values[0] - 1) < 1e-14 && abs(e.values[1] - 3) < 1e-14)
    // Eigenvector of 3 is (1, 1)/√2 up to sign.
    #expect(abs(abs(e.vectors[0 * 2 + 1]) - 0.5.squareRoot()) < 1e-14)
    // A random symmetric 5×5: V diag(λ) Vᵀ reconstructs it.
    var g = SeededGenerator(seed: 4)
    var a = [Double](repeating: 0, count: 25)
    for i in 0..<5 { for j in 0...i { let v = g.normal(); a[i * 5 + j] = v; a[j * 5 + i] = v } }
    let f = SymmetricEigen(a, n: 5)
    for i in 0..<5 {
        for j in 0..<5 {
            var s = 0.0
            for k in 0..<5 { s += f.vectors[i * 5 + k] * f.values[k] * f.vectors[j * 5 + k] }
            #expect(abs(s - a[i * 5 + j]) < 1e-12)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
