import Testing
import HoneCompute

/// Every path equals the scalar Float definition bit for bit (no FMA, same operation order),
/// with and without amsgrad, on lengths that leave vector tails.
@Test(arguments: isaPaths)
func adamKernelMatchesScalarDefinitionBitwise(isa: InstructionSet) {
    let (b1, b2, eps): (Float, Float, Float) = (0.9, 0.999, 1e-8)
    let c1 = Float(1 / (1 - 0.9 * 0.9 * 0.9)), c2 = Float(1 / (1 - 0.999 * 0.999 * 0.999).squareRoot())
    for n in [1, 3, 4, 7, 8, 15, 16, 17, 33, 100] {
        for ams in [false, true] {
            var m = randomBuffer(n, seed: 1), v = randomBuffer(n, seed: 2).map { abs($0) }
            var vMax = randomBuffer(n, seed: 3).map { abs($0) }, u = randomBuffer(n, seed: 4)
            var em = m, ev = v, ex = vMax, eu = u
            for i in 0..<n {
                let g = eu[i]
                em[i] = b1 * em[i] + (1 - b1) * g
                ev[i] = b2 * ev[i] + (1 - b2) * g * g
                var d = ev[i]
                if ams { ex[i] = Swift.max(ex[i], ev[i]); d = ex[i] }
                eu[i] = (em[i] * c1) / (d.squareRoot() * c2 + eps)
            }
            vMax.withUnsafeMutableBufferPointer { px in
                OptimizerKernels.adam(m: &m, v: &v, vMax: ams ? px.baseAddress! : nil, update: &u, count: n,
                                      beta1: b1, beta2: b2, c1: c1, c2: c2, epsilon: eps, isa: isa)
            }
            #expect(m.map(\.bitPattern) == em.map(\.bitPattern) && v.map(\.bitPattern) == ev.map(\.bitPattern), "adam [\(isa)] n=\(n) moments")
            #expect(u.map(\.bitPattern) == eu.map(\.bitPattern), "adam [\(isa)] n=\(n) amsgrad=\(ams) update")
            if ams { #expect(vMax.map(\.bitPattern) == ex.map(\.bitPattern)) }
        }
    }
}
