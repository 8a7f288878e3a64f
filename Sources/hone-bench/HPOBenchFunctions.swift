import Foundation

/// Standard black-box test functions for the HPO benchmark (definitions: Surjanovic &
/// Bingham, sfu.ca/~ssurjano; ZDT: Zitzler, Deb & Thiele, Evol. Comput. 8(2), 2000).
struct HPOBenchFunction: Sendable {
    let name: String
    /// Parameter names with their bounds, in the order the objective suggests them.
    let bounds: [(String, Double, Double)]
    /// Single-objective optimum value, or the true front's hypervolume at `reference`.
    let optimum: Double
    let objectives: Int
    let reference: [Double]
    let evaluate: @Sendable ([Double]) -> [Double]

    static let names = ["branin", "hartmann6", "rosenbrock4", "styblinski5", "ackley2", "zdt1", "zdt2"]

    static func named(_ name: String) -> HPOBenchFunction? {
        switch name {
        case "branin": return branin
        case "hartmann6": return hartmann6
        case "rosenbrock4": return rosenbrock(4)
        case "styblinski5": return styblinskiTang(5)
        case "ackley2": return ackley(2)
        case "zdt1": return zdt(1)
        case "zdt2": return zdt(2)
        default: return nil
        }
    }

    static let branin = HPOBenchFunction(
        name: "branin", bounds: [("x1", -5, 10), ("x2", 0, 15)], optimum: 0.397887357729738,
        objectives: 1, reference: []
    ) { x in
        let a = 1.0, b = 5.1 / (4 * Double.pi * Double.pi), c = 5 / Double.pi
        let r = 6.0, s = 10.0, t = 1 / (8 * Double.pi)
        let u = x[1] - b * x[0] * x[0] + c * x[0] - r
        return [a * u * u + s * (1 - t) * cos(x[0]) + s]
    }

    static let hartmann6 = HPOBenchFunction(
        name: "hartmann6", bounds: (0..<6).map { ("x\($0)", 0, 1) }, optimum: -3.32236801141551,
        objectives: 1, reference: []
    ) { x in
        let alpha = [1.0, 1.2, 3.0, 3.2]
        let A: [[Double]] = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
                             [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
        let P: [[Double]] = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                             [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
        var f = 0.0
        for i in 0..<4 {
            var s = 0.0
            for j in 0..<6 { let d = x[j] - P[i][j] * 1e-4; s += A[i][j] * d * d }
            f -= alpha[i] * exp(-s)
        }
        return [f]
    }

    static func rosenbrock(_ d: Int) -> HPOBenchFunction {
        HPOBenchFunction(name: "rosenbrock\(d)", bounds: (0..<d).map { ("x\($0)", -5, 10) }, optimum: 0,
                         objectives: 1, reference: []) { x in
            var f = 0.0
            for i in 0..<(x.count - 1) {
                let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
                f += 100 * a * a + b * b
            }
            return [f]
        }
    }

    static func styblinskiTang(_ d: Int) -> HPOBenchFunction {
        // Minimum at x_i = −2.903534…: ½(x⁴ − 16x² + 5x) = −39.16616570377142 per dimension.
        HPOBenchFunction(name: "styblinski\(d)", bounds: (0..<d).map { ("x\($0)", -5, 5) },
                         optimum: -39.16616570377142 * Double(d), objectives: 1, reference: []) { x in
            var f = 0.0
            for v in x { f += v * v * v * v - 16 * v * v + 5 * v }
            return [f / 2]
        }
    }

    static func ackley(_ d: Int) -> HPOBenchFunction {
        HPOBenchFunction(name: "ackley\(d)", bounds: (0..<d).map { ("x\($0)", -32.768, 32.768) }, optimum: 0,
                         objectives: 1, reference: []) { x in
            let n = Double(x.count)
            var s1 = 0.0, s2 = 0.0
            for v in x { s1 += v * v; s2 += cos(2 * Double.pi * v) }
            return [-20 * exp(-0.2 * (s1 / n).squareRoot()) - exp(s2 / n) + 20 + exp(1)]
        }
    }

    /// ZDT1 (convex front f₂ = 1 − √f₁) and ZDT2 (concave, f₂ = 1 − f₁²) in 30 dimensions.
    /// True-front hypervolume at (1.1, 1.1): 0.1·1.1 + 1 − 1/3 = 0.876667 (ZDT1),
    /// 0.11 + 1 − 2/3 = 0.543333 (ZDT2).
    static func zdt(_ k: Int) -> HPOBenchFunction {
        HPOBenchFunction(name: "zdt\(k)", bounds: (0..<30).map { ("x\($0)", 0, 1) },
                         optimum: k == 1 ? 0.11 + 2.0 / 3.0 : 0.11 + 1.0 / 3.0,
                         objectives: 2, reference: [1.1, 1.1]) { x in
            let f1 = x[0]
            var s = 0.0
            for i in 1..<x.count { s += x[i] }
            let g = 1 + 9 * s / Double(x.count - 1)
            let h = k == 1 ? 1 - (f1 / g).squareRoot() : 1 - (f1 / g) * (f1 / g)
            return [f1, g * h]
        }
    }
}
