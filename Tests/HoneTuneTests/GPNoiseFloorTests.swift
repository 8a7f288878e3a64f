import Testing
import HoneTune

@Test func gpFitsNearDuplicatePointsAtTheLowNoiseFloor() {
    // A converged BO run re-samples its incumbent: many points within 1e-9 of each other.
    // The fit must still factor (jitter escalation) and interpolate the data closely.
    var x: [Double] = [], y: [Double] = []
    func f(_ a: Double, _ b: Double) -> Double { (a - 0.3) * (a - 0.3) + 2 * (b - 0.6) * (b - 0.6) }
    for i in 0..<12 {   // a spread-out design: a (5, 7)-lattice in the unit square
        let a = (Double(i * 5 % 12) + 0.5) / 12, b = (Double(i * 7 % 12) + 0.5) / 12
        x += [a, b]; y.append(f(a, b))
    }
    for k in 0..<20 {
        let a = 0.3 + Double(k) * 1e-9, b = 0.6
        x += [a, b]; y.append(f(a, b))
    }
    let mean = y.reduce(0, +) / Double(y.count)
    let sd = (y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(y.count)).squareRoot()
    let ys = y.map { ($0 - mean) / sd }
    let gp = GaussianProcess.fit(x: x, y: ys, dims: 2, categorical: [false, false])
    #expect(gp.noise >= GaussianProcess.minimumNoise)
    #expect(gp.noise < 1e-3, "a smooth deterministic function is fitted as nearly noise-free, got \(gp.noise)")
    for i in [0, 5, 12, 31] {
        let p = gp.predict([x[2 * i], x[2 * i + 1]])
        #expect(p.mean.isFinite && p.variance.isFinite)
        #expect(abs(p.mean - ys[i]) < 1e-2, "point \(i): predicted \(p.mean), observed \(ys[i])")
    }
}
