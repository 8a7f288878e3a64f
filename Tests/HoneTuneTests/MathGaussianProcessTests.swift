import Testing
import HoneTune
import HoneRandom

private func sampleData(n: Int, d: Int, seed: UInt64) -> ([Double], [Double]) {
    var g = SeededGenerator(seed: seed)
    var x: [Double] = [], y: [Double] = []
    for _ in 0..<n {
        var s = 0.0
        for j in 0..<d { let v = g.nextDouble(); x.append(v); s += (v - 0.3) * (v - 0.3) * Double(j + 1) }
        y.append(s + 0.01 * g.normal())
    }
    let m = y.reduce(0, +) / Double(n)
    return (x, y.map { $0 - m })
}

@Test func gpMarginalLikelihoodGradientMatchesFiniteDifferences() {
    let (x, y) = sampleData(n: 12, d: 3, seed: 1)
    let raw = [0.3, -0.2, 0.5, 0.1, -3.0]
    var g = [Double](repeating: 0, count: 5)
    _ = GaussianProcess.negativeLogPosterior(raw, x: x, y: y, dims: 3, categorical: [false, false, false], gradient: &g)
    var scratch = g
    for i in 0..<5 {
        var a = raw, b = raw
        a[i] += 1e-5; b[i] -= 1e-5
        let fd = (GaussianProcess.negativeLogPosterior(a, x: x, y: y, dims: 3, categorical: [false, false, false], gradient: &scratch)
                  - GaussianProcess.negativeLogPosterior(b, x: x, y: y, dims: 3, categorical: [false, false, false], gradient: &scratch)) / 2e-5
        #expect(abs(fd - g[i]) < 1e-4 * max(1, abs(fd)), "parameter \(i): analytic \(g[i]) vs numeric \(fd)")
    }
}

@Test func gpLogEIGradientMatchesFiniteDifferences() {
    let (x, y) = sampleData(n: 15, d: 2, seed: 2)
    let gp = GaussianProcess.fit(x: x, y: y, dims: 2, categorical: [false, false])
    let best = y.min()!
    for q in [[0.2, 0.7], [0.9, 0.1], [0.31, 0.29]] {
        var grad = [0.0, 0.0]
        _ = grad.withUnsafeMutableBufferPointer { gp.logExpectedImprovement(q, best: best, gradient: $0) }
        for j in 0..<2 {
            var a = q, b = q
            a[j] += 1e-6; b[j] -= 1e-6
            let fd = (gp.logExpectedImprovement(a, best: best) - gp.logExpectedImprovement(b, best: best)) / 2e-6
            #expect(abs(fd - grad[j]) < 1e-4 * max(1, abs(fd)), "q=\(q) j=\(j): \(grad[j]) vs \(fd)")
        }
    }
}

@Test func gpInterpolatesItsTrainingData() {
    let (x, y) = sampleData(n: 20, d: 2, seed: 3)
    let gp = GaussianProcess.fit(x: x, y: y, dims: 2, categorical: [false, false])
    for i in 0..<20 {
        let (m, v) = gp.predict([x[2 * i], x[2 * i + 1]])
        #expect(abs(m - y[i]) < 0.05)
        #expect(v < 0.01)
    }
}

@Test func logHIsAccurateInTheTail() {
    // h(z) = φ(z) + zΦ(z); log h(−5) from mpmath at 40 digits.
    #expect(abs(GaussianProcess.logH(-5) - (-16.74430116266099)) < 1e-9)
    #expect(abs(GaussianProcess.logH(0) - (-0.918938533204673)) < 1e-12)
    // Continuity across the branch points.
    #expect(abs(GaussianProcess.logH(-1.0000001) - GaussianProcess.logH(-0.9999999)) < 1e-6)
    // Past the asymptotic switch at z = −1000 the slope Φ(z)/h(z) ≈ |z| + 2/|z| must carry on.
    #expect(abs(GaussianProcess.logH(-999.9999) - GaussianProcess.logH(-1000.0001) - 2e-4 * 1000.002) < 1e-6)
}
