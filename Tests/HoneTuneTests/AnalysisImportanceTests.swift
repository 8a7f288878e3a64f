import Testing
import HoneRandom
import HoneTune

@Suite struct AnalysisImportanceTests {
    func trials(_ f: (Double, Double, Double) -> Double, n: Int = 120) -> [FrozenTrial] {
        var g = SeededGenerator(seed: 7)
        let d = Distribution.float(low: 0, high: 1, log: false, step: nil)
        return (0..<n).map { i in
            let (a, b, c) = (g.nextDouble(), g.nextDouble(), g.nextDouble())
            return FrozenTrial(id: Int64(i), number: i, state: .complete, values: [f(a, b, c)],
                               params: ["a": a, "b": b, "c": c], distributions: ["a": d, "b": d, "c": d])
        }
    }

    @Test func findsTheOnlyRelevantParameter() {
        let imp = ParameterImportance.compute(trials: trials { a, _, _ in (a - 0.3) * (a - 0.3) }, direction: .minimize)
        #expect(abs(imp.values.reduce(0, +) - 1) < 1e-9)
        #expect(imp["a"]! > 0.9)
    }

    @Test func ranksByContribution() {
        // Variance of 4a is 16/12, of b is 1/12, c contributes nothing.
        let imp = ParameterImportance.compute(trials: trials { a, b, _ in 4 * a + b }, direction: .maximize)
        #expect(imp["a"]! > imp["b"]!)
        #expect(imp["b"]! > imp["c"]!)
        #expect(imp["a"]! > 0.75)
    }

    @Test func isDeterministicAndSkipsConditionalParameters() {
        var t = trials { a, b, _ in a + b }
        t[0].distributions["extra"] = .float(low: 0, high: 1, log: false, step: nil)
        t[0].params["extra"] = 0.5
        let a = ParameterImportance.compute(trials: t, direction: .minimize)
        #expect(a == ParameterImportance.compute(trials: t, direction: .minimize))
        #expect(a["extra"] == nil)
        #expect(ParameterImportance.compute(trials: Array(t.prefix(1)), direction: .minimize).isEmpty)
    }
}
