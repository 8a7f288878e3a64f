import Testing
import HoneTune

@Test func choleskyMatchesHandExample() {
    // A = [[4, 2], [2, 3]] → L = [[2, 0], [1, √2]].
    let c = Cholesky([4, 2, 2, 3], n: 2)!
    #expect(c.lower[0] == 2 && c.lower[1] == 0 && c.lower[2] == 1)
    #expect(abs(c.lower[3] - 2.0.squareRoot()) < 1e-15)
    let x = c.solve([2, 1])          // A⁻¹ [2, 1] = [0.5, 0]
    #expect(abs(x[0] - 0.5) < 1e-15 && abs(x[1]) < 1e-15)
    #expect(abs(c.logDeterminant - log(8.0)) < 1e-14)
    let inv = c.inverse()            // [[3, −2], [−2, 4]] / 8
    for (a, b) in zip(inv, [0.375, -0.25, -0.25, 0.5]) { #expect(abs(a - b) < 1e-15) }
    #expect(Cholesky([1, 2, 2, 1], n: 2) == nil)   // indefinite
}

@Test func boundedLBFGSFindsInteriorAndBoundaryMinima() {
    // Rosenbrock in 2-D from (−1.2, 1): minimum (1, 1).
    let r = BoundedLBFGS.minimize(x0: [-1.2, 1], lower: [-5, -5], upper: [5, 5], maxIterations: 500,
                                  gradientTolerance: 1e-10, relativeTolerance: 0) { x, g in
        let a = x[1] - x[0] * x[0], b = 1 - x[0]
        g[0] = -400 * x[0] * a - 2 * b; g[1] = 200 * a
        return 100 * a * a + b * b
    }
    #expect(abs(r.x[0] - 1) < 1e-5 && abs(r.x[1] - 1) < 1e-5)
    // (x − 2)² + (y + 1)² on [0, 1]²: minimum at the corner (1, 0).
    let b = BoundedLBFGS.minimize(x0: [0.5, 0.5], lower: [0, 0], upper: [1, 1]) { x, g in
        g[0] = 2 * (x[0] - 2); g[1] = 2 * (x[1] + 1)
        return (x[0] - 2) * (x[0] - 2) + (x[1] + 1) * (x[1] + 1)
    }
    #expect(b.x == [1, 0])
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
