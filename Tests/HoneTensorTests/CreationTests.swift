import Testing
import HoneRandom
import HoneTensor

@Suite struct CreationTests {
    @Test func shapeAndScalars() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.shape == [2, 3])
        #expect(t.scalars == [1, 2, 3, 4, 5, 6])
        #expect(t.rank == 2 && t.count == 6 && t.isContiguous)
        #expect(t.element(at: [1, 2]) == 6)
    }

    @Test func constantsAndRanges() {
        #expect(Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor.ones([3]).scalars == [1, 1, 1])
        #expect(Tensor.full([2], 2.5).scalars == [2.5, 2.5])
        #expect(Tensor.arange(4).scalars == [0, 1, 2, 3])
        #expect(Tensor.arange(0, 1, step: 0.25).scalars == [0, 0.25, 0.5, 0.75])
        #expect(Tensor.eye(2).scalars == [1, 0, 0, 1])
        #expect(Tensor(3).shape == [] && Tensor(3).scalar == 3)
        #expect(Tensor.zeros([0, 3]).count == 0)
    }

    @Test func randomIsReproducible() {
        var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
        let a = Tensor.uniform(shape: [100], low: -2, high: 3, generator: &g1)
        let b = Tensor.uniform(shape: [100], low: -2, high: 3, generator: &g2)
        #expect(a.scalars == b.scalars)
        #expect(a.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
        let n1 = Tensor.normal(shape: [10_000], mean: 1, std: 2, generator: &g1)
        let n2 = Tensor.normal(shape: [10_000], mean: 1, std: 2, generator: &g2)
        #expect(n1.scalars == n2.scalars)
        #expect(abs(n1.mean().scalar - 1) < 0.1)
        #expect(abs(n1.variance().scalar.squareRoot() - 2) < 0.1)
        // The first values are fixed forever (same numbers on every run and machine).
        var g3 = SeededGenerator(seed: 5)
        var g4 = SeededGenerator(seed: 5)
        let expected = (0..<4).map { _ in -2 + 5 * g4.nextFloat() }
        #expect(Tensor.uniform(shape: [4], low: -2, high: 3, generator: &g3).scalars == expected)
    }
}
