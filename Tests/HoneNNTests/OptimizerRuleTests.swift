import Foundation
import Testing
import HoneNN
import HoneTensor

/// Each optimizer, step by step for 6 steps on two parameters, against its published update
/// rule written out independently here in Double.
@Suite struct OptimizerRuleTests {
    typealias F = OptimizerFixture
    let tolerance = 2e-5

    func zeros() -> [[Double]] { F.initialValues().map { Array(repeating: 0, count: $0.count) } }

    @Test func plainSGD() {
        let got = F.run(sgd(learningRate: 0.1))
        let want = F.reference { th, g, _ in
            for k in th.indices { for i in th[k].indices { th[k][i] -= 0.1 * g[k][i] } }
        }
        #expect(F.maxError(got, want) < tolerance)
    }

    @Test func sgdMomentumDampeningAndNesterov() {
        for nesterov in [false, true] {
            let mu = 0.9, tau = nesterov ? 0.0 : 0.3, lr = 0.05, wd = 0.01
            let got = F.run(sgd(learningRate: .constant(lr), momentum: Float(mu), dampening: Float(tau),
                                nesterov: nesterov, weightDecay: Float(wd)))
            var b = zeros()
            let want = F.reference { th, g, t in
                for k in th.indices {
                    for i in th[k].indices {
                        let gi = g[k][i] + wd * th[k][i]
                        b[k][i] = t == 1 ? gi : mu * b[k][i] + (1 - tau) * gi
                        th[k][i] -= lr * (nesterov ? gi + mu * b[k][i] : b[k][i])
                    }
                }
            }
            #expect(F.maxError(got, want) < tolerance, "nesterov \(nesterov)")
        }
    }

    @Test func adamAndAMSGrad() {
        for amsgrad in [false, true] {
            let b1 = 0.85, b2 = 0.95, eps = 1e-6, lr = 0.01
            let got = F.run(adam(learningRate: .constant(lr), beta1: b1, beta2: b2, epsilon: eps, amsgrad: amsgrad))
            var m = zeros(), v = zeros(), vmax = zeros()
            let want = F.reference { th, g, t in
                for k in th.indices {
                    for i in th[k].indices {
                        m[k][i] = b1 * m[k][i] + (1 - b1) * g[k][i]
                        v[k][i] = b2 * v[k][i] + (1 - b2) * g[k][i] * g[k][i]
                        vmax[k][i] = max(vmax[k][i], v[k][i])
                        let mHat = m[k][i] / (1 - pow(b1, Double(t)))
                        let vHat = (amsgrad ? vmax[k][i] : v[k][i]) / (1 - pow(b2, Double(t)))
                        th[k][i] -= lr * mHat / (vHat.squareRoot() + eps)
                    }
                }
            }
            #expect(F.maxError(got, want) < tolerance, "amsgrad \(amsgrad)")
        }
    }

    @Test func adamWDecouplesDecay() {
        let lr = 0.01, wd = 0.2
        let got = F.run(adamW(learningRate: .constant(lr), weightDecay: Float(wd)))
        var m = zeros(), v = zeros()
        let want = F.reference { th, g, t in
            for k in th.indices {
                for i in th[k].indices {
                    th[k][i] *= 1 - lr * wd                    // decoupled: before the Adam step
                    m[k][i] = 0.9 * m[k][i] + 0.1 * g[k][i]
                    v[k][i] = 0.999 * v[k][i] + 0.001 * g[k][i] * g[k][i]
                    let mHat = m[k][i] / (1 - pow(0.9, Double(t))), vHat = v[k][i] / (1 - pow(0.999, Double(t)))
                    th[k][i] -= lr * mHat / (vHat.squareRoot() + 1e-8)
                }
            }
        }
        #expect(F.maxError(got, want) < tolerance)
    }

    @Test func rmspropPlainCenteredMomentum() {
        for (centered, mu) in [(false, 0.0), (true, 0.0), (true, 0.7), (false, 0.4)] {
            let a = 0.9, eps = 1e-8, lr = 0.01
            let got = F.run(rmsprop(learningRate: .constant(lr), alpha: Float(a), epsilon: Float(eps),
                                    centered: centered, momentum: Float(mu)))
            var v = zeros(), gbar = zeros(), b = zeros()
            let want = F.reference { th, g, _ in
                for k in th.indices {
                    for i in th[k].indices {
                        let gi = g[k][i]
                        v[k][i] = a * v[k][i] + (1 - a) * gi * gi
                        var d = v[k][i]
                        if centered {
                            gbar[k][i] = a * gbar[k][i] + (1 - a) * gi
                            d -= gbar[k][i] * gbar[k][i]
                        }
                        let denom = d.squareRoot() + eps
                        if mu > 0 {
                            b[k][i] = mu * b[k][i] + gi / denom
                            th[k][i] -= lr * b[k][i]
                        } else {
                            th[k][i] -= lr * gi / denom
                        }
                    }
                }
            }
            #expect(F.maxError(got, want) < tolerance, "centered \(centered) momentum \(mu)")
        }
    }

    @Test func adagradWithDecayAndInitialAccumulator() {
        let lr = 0.1, eta = 0.1, s0 = 0.3, eps = 1e-10
        let got = F.run(adagrad(learningRate: lr, learningRateDecay: eta, initialAccumulator: Float(s0)))
        var s = zeros().map { $0.map { _ in s0 } }
        let want = F.reference { th, g, t in
            let clr = lr / (1 + Double(t - 1) * eta)
            for k in th.indices {
                for i in th[k].indices {
                    s[k][i] += g[k][i] * g[k][i]
                    th[k][i] -= clr * g[k][i] / (s[k][i].squareRoot() + eps)
                }
            }
        }
        #expect(F.maxError(got, want) < tolerance)
    }

    @Test func l1AndL2Regularization() {
        let lr = 0.1, l1 = 0.05, l2 = 0.2
        let got = F.run(chain(addL1Penalty(Float(l1)), addDecayedWeights(Float(l2)), scaleByLearningRate(.constant(lr))))
        let want = F.reference { th, g, _ in
            for k in th.indices {
                for i in th[k].indices {
                    let x = th[k][i]
                    let sign: Double = x > 0 ? 1 : (x < 0 ? -1 : 0)
                    th[k][i] -= lr * (g[k][i] + l1 * sign + l2 * x)
                }
            }
        }
        #expect(F.maxError(got, want) < tolerance)
    }

    @Test func clippingByValueAndGlobalNorm() {
        let lr = 0.1
        let byValue = F.run(chain(clipByValue(0.4), scaleByLearningRate(.constant(lr))))
        let wantValue = F.reference { th, g, _ in
            for k in th.indices { for i in th[k].indices { th[k][i] -= lr * min(max(g[k][i], -0.4), 0.4) } }
        }
        #expect(F.maxError(byValue, wantValue) < tolerance)

        let byNorm = F.run(chain(clipByGlobalNorm(0.5), scaleByLearningRate(.constant(lr))))
        let wantNorm = F.reference { th, g, _ in
            let norm = g.flatMap { $0 }.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let f = min(1, 0.5 / (norm + 1e-6))
            for k in th.indices { for i in th[k].indices { th[k][i] -= lr * f * g[k][i] } }
        }
        #expect(F.maxError(byNorm, wantNorm) < tolerance)
    }

    @Test func scheduledLearningRateAndScale() {
        let schedule = LearningRateSchedule.step(stepSize: 2, gamma: 0.5)
        let got = F.run(sgd(learningRate: .scheduled(base: 0.2, schedule)))
        let want = F.reference { th, g, t in
            let lr = 0.2 * pow(0.5, Double((t - 1) / 2))
            for k in th.indices { for i in th[k].indices { th[k][i] -= lr * g[k][i] } }
        }
        #expect(F.maxError(got, want) < tolerance)
    }
}
