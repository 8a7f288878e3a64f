import Testing
import HoneTune

@Test func nonDominatedRanksAndCrowding() {
    let pts: [[Double]] = [[1, 5], [2, 3], [4, 1], [3, 4], [5, 5], [2, 3]]
    #expect(Pareto.ranks(pts) == [0, 0, 0, 1, 2, 0])
    #expect(Pareto.front(pts) == [0, 1, 2, 5])
    let cd = Pareto.crowding([[1, 5], [2, 3], [4, 1]])
    #expect(cd[0] == .infinity && cd[2] == .infinity)
    #expect(abs(cd[1] - ((4 - 1) / 3.0 + (5 - 1) / 4.0)) < 1e-12)
    // Rank 0 has 4 points; asking for 5 adds the rank-1 point.
    #expect(Set(Pareto.selectBest(pts, count: 5)) == [0, 1, 2, 5, 3])
}

@Test func hypervolumeKnownValues() {
    #expect(Hypervolume.compute([[0, 1], [1, 0]], reference: [2, 2]) == 3)
    // Dominated and out-of-box points add nothing.
    #expect(Hypervolume.compute([[0, 1], [1, 0], [1.5, 1.5], [3, 0]], reference: [2, 2]) == 3)
    // ZDT1's true front f₂ = 1 − √f₁, densely sampled: 0.876667 at (1.1, 1.1).
    let n = 20000
    let zdt1 = (0...n).map { i -> [Double] in let f = Double(i) / Double(n); return [f, 1 - f.squareRoot()] }
    #expect(abs(Hypervolume.compute(zdt1, reference: [1.1, 1.1]) - 0.876667) < 1e-3)
    let zdt2 = (0...n).map { i -> [Double] in let f = Double(i) / Double(n); return [f, 1 - f * f] }
    #expect(abs(Hypervolume.compute(zdt2, reference: [1.1, 1.1]) - 0.543333) < 1e-3)
    // 3-D: a unit cube corner point, and two overlapping boxes (1 + 1 − ½).
    #expect(abs(Hypervolume.compute([[0, 0, 0]], reference: [1, 1, 1]) - 1) < 1e-12)
    #expect(abs(Hypervolume.compute([[0, 0, 0.5], [0, 0.5, 0]], reference: [1, 1, 1]) - 0.75) < 1e-12)
}
