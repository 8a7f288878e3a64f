import Testing
import HoneNN

/// Golden values printed by PyTorch 2.15 (`torch.optim.lr_scheduler`, base lr 0.1, one
/// `scheduler.step()` per step); the script is in benchmarks/reference-schedules.py.
@Suite struct ScheduleTests {
    func check(_ s: LearningRateSchedule, _ expected: [Double], base: Double = 0.1) {
        for (t, e) in expected.enumerated() {
            let got = s.learningRate(base: base, step: t)
            #expect(abs(got - e) <= 1e-9 + 1e-8 * abs(e), "\(s) step \(t): \(got) vs \(e)")
        }
    }

    @Test func stepAndMultiStepAndExponential() {
        check(.step(stepSize: 3, gamma: 0.5), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125])
        check(.multiStep(milestones: [2, 5, 9], gamma: 0.1), [0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.001, 0.0001, 0.0001, 0.0001])
        check(.exponential(gamma: 0.9), [0.1, 0.09, 0.081, 0.0729, 0.06561, 0.059049, 0.0531441, 0.04782969, 0.043046721, 0.0387420489, 0.034867844, 0.0313810596])
    }

    @Test func cosineAndWarmRestarts() {
        check(.cosine(periodSteps: 10, minimum: 0.01), [0.1, 0.0977975432, 0.0914057647, 0.0814503364, 0.0689057647, 0.055, 0.0410942353, 0.0285496636, 0.0185942353, 0.0122024568, 0.01, 0.0122024568])
        check(.cosineWarmRestarts(firstPeriod: 3, periodMultiplier: 2, minimum: 0.001), [0.1, 0.07525, 0.02575, 0.1, 0.0933682575, 0.07525, 0.0505, 0.02575, 0.0076317425, 0.1, 0.0983133284, 0.0933682575, 0.0855017857, 0.07525, 0.0633115427, 0.0505])
    }

    @Test func linearWarmup() {
        check(.warmup(steps: 4, startFactor: 0.25, then: .constant), [0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1, 0.1])
    }

    @Test func oneCycle() {
        check(.oneCycle(maximum: 1.0, totalSteps: 12), [0.04, 0.3497896542, 0.8792851591, 0.9944154355, 0.9330129698, 0.8117456539, 0.6473789977, 0.4626371027, 0.2830609982, 0.1334775302, 0.0345669874, 4e-06])
        check(.oneCycle(maximum: 1.0, totalSteps: 12, pctStart: 0.25, cosineAnneal: false), [0.04, 0.52, 1.0, 0.8888893333, 0.7777786667, 0.666668, 0.5555573333, 0.4444466667, 0.333336, 0.2222253333, 0.1111146667, 4e-06])
    }

    @Test func reduceOnPlateauMatchesPyTorch() {
        var p = ReduceLROnPlateau(learningRate: 0.1, factor: 0.5, patience: 2, threshold: 1e-4, cooldown: 1, minimumLearningRate: 0.01)
        let losses = [1.0, 0.9, 0.9, 0.9, 0.9, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]
        let expected = [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125]
        for (l, e) in zip(losses, expected) { #expect(abs(p.step(metric: l) - e) < 1e-12) }
    }

    @Test func schedulesRoundTripThroughJSON() throws {
        let s = LearningRateSchedule.warmup(steps: 2, startFactor: 0.1, then: .cosine(periodSteps: 5, minimum: 0))
        let data = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(LearningRateSchedule.self, from: data) == s)
    }
}
import Foundation
