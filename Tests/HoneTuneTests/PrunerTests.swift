import Testing
import HoneTune

/// Hand-computed cases for each pruner, following Optuna's documented rules.
private func t(_ n: Int, _ state: TrialState, _ iv: [Int: Double]) -> FrozenTrial {
    FrozenTrial(id: Int64(n + 1), number: n, state: state, values: state == .complete ? [iv.values.min() ?? 0] : nil,
                intermediateValues: iv)
}

private func snap(_ trials: [FrozenTrial], _ d: StudyDirection = .minimize, name: String = "study") -> StudySnapshot {
    StudySnapshot(name: name, directions: [d], trials: trials)
}

@Suite struct PrunerTests {
    let five = (0..<5).map { t($0, .complete, [1: Double($0 + 1)]) }   // values 1…5 at step 1, median 3

    @Test func medianPrunesWorseThanMedian() {
        let p = MedianPruner()
        #expect(p.shouldPrune(study: snap(five + [t(5, .running, [1: 3.5])]), trial: t(5, .running, [1: 3.5])))
        #expect(!p.shouldPrune(study: snap(five), trial: t(5, .running, [1: 2.5])))
        #expect(!p.shouldPrune(study: snap(five), trial: t(5, .running, [1: 3.0])))   // equal to the median: keep
        // The trial's best value so far is compared, not its latest.
        #expect(!p.shouldPrune(study: snap(five), trial: t(5, .running, [0: 1.0, 1: 10])))
        // No COMPLETE trial reported this step: nothing to compare with.
        #expect(!p.shouldPrune(study: snap(five), trial: t(5, .running, [2: 99])))
        // All values NaN: prune.
        #expect(p.shouldPrune(study: snap(five), trial: t(5, .running, [1: .nan])))
    }

    @Test func medianStartupWarmupInterval() {
        #expect(!MedianPruner().shouldPrune(study: snap(Array(five.prefix(4))), trial: t(5, .running, [1: 9])))
        #expect(MedianPruner(startupTrials: 4).shouldPrune(study: snap(Array(five.prefix(4))), trial: t(5, .running, [1: 9])))
        #expect(!MedianPruner(warmupSteps: 2).shouldPrune(study: snap(five), trial: t(5, .running, [1: 9])))
        // interval 2, warm-up 0: checkpoints are steps 0, 2, 4…; step 1 after step 0 is not checked.
        let c = (0..<5).map { t($0, .complete, [0: 1, 1: 1, 2: 1]) }
        let p = MedianPruner(intervalSteps: 2)
        #expect(!p.shouldPrune(study: snap(c), trial: t(5, .running, [0: 0.5, 1: 9])))
        #expect(p.shouldPrune(study: snap(c), trial: t(5, .running, [0: 5, 1: 9, 2: 9])))
        // …but the first report after a skipped checkpoint is checked (steps 0, 3: checkpoint 2 passed).
        #expect(p.shouldPrune(study: snap(c.map { var x = $0; x.intermediateValues[3] = 1; return x }),
                              trial: t(5, .running, [0: 5, 3: 9])))
    }

    @Test func percentileInterpolatesAndFlipsForMaximize() {
        // 25th percentile of 1,2,3,4,5 is 2 (NumPy linear): 2.5 is pruned, 1.5 is kept.
        let p = PercentilePruner(percentile: 25)
        #expect(p.shouldPrune(study: snap(five), trial: t(5, .running, [1: 2.5])))
        #expect(!p.shouldPrune(study: snap(five), trial: t(5, .running, [1: 1.5])))
        // Maximize: the 75th percentile (4) is the bar; 3.5 is pruned, 4.5 kept.
        #expect(p.shouldPrune(study: snap(five, .maximize), trial: t(5, .running, [1: 3.5])))
        #expect(!p.shouldPrune(study: snap(five, .maximize), trial: t(5, .running, [1: 4.5])))
        // 25th percentile of 1,2,3,4 is 1.75.
        let four = (0..<4).map { t($0, .complete, [1: Double($0 + 1)]) }
        let p4 = PercentilePruner(percentile: 25, startupTrials: 4)
        #expect(p4.shouldPrune(study: snap(four), trial: t(5, .running, [1: 1.8])))
        #expect(!p4.shouldPrune(study: snap(four), trial: t(5, .running, [1: 1.7])))
        // minTrials: needs that many COMPLETE trials at the step.
        #expect(!PercentilePruner(percentile: 25, minTrials: 6).shouldPrune(study: snap(five), trial: t(5, .running, [1: 9])))
    }

    @Test func successiveHalvingRungs() {
        let sh = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
        #expect(sh.rungStep(0, minResource: 1) == 1 && sh.rungStep(3, minResource: 1) == 8)
        let others = [t(0, .complete, [1: 1]), t(1, .complete, [1: 2]), t(2, .pruned, [1: 3])]
        // Rung 0 at step 1: competing 1, 2, 2.5, 3 → the top ⌊4/2⌋ = 2 continue, i.e. ≤ 2.
        #expect(sh.shouldPrune(study: snap(others), trial: t(3, .running, [1: 2.5])))
        #expect(!sh.shouldPrune(study: snap(others), trial: t(3, .running, [1: 1.5])))
        #expect(!sh.shouldPrune(study: snap(others), trial: t(3, .running, [1: 2.0])))
        // Before the first rung: never pruned.
        #expect(!sh.shouldPrune(study: snap(others), trial: t(3, .running, [0: 99])))
        // Maximize: the top ⌊4/2⌋ = 2 of the four values continue.
        #expect(!sh.shouldPrune(study: snap(others, .maximize), trial: t(3, .running, [1: 2.5])))
        #expect(sh.shouldPrune(study: snap(others, .maximize), trial: t(3, .running, [1: 1.5])))
        // Fewer than η values: only the best continues (here alone → continues).
        #expect(!sh.shouldPrune(study: snap([]), trial: t(0, .running, [1: 5])))
        let eta4 = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 4)
        #expect(eta4.shouldPrune(study: snap(others), trial: t(3, .running, [1: 1.5])))    // 1.0 is best
        #expect(!eta4.shouldPrune(study: snap(others), trial: t(3, .running, [1: 0.5])))
        // NaN is pruned.
        #expect(sh.shouldPrune(study: snap(others), trial: t(3, .running, [1: .nan])))
    }

    @Test func successiveHalvingUsesRungValuesAndSkipsPassedRungs() {
        let sh = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
        // A competitor's rung-0 value is its value at the first reported step ≥ 1 (step 3 here).
        let other = [t(0, .complete, [0: 9, 3: 0.5])]
        #expect(sh.shouldPrune(study: snap(other), trial: t(1, .running, [1: 0.6])))
        // A trial already past rung 0 (step 1 reported before) is judged only at rung 1 (step 2).
        let rivals = [t(0, .complete, [1: 0.1, 2: 3]), t(1, .complete, [1: 0.2, 2: 4])]
        #expect(!sh.shouldPrune(study: snap(rivals), trial: t(2, .running, [1: 5, 2: 2])))
        // One report crossing rungs 0, 1 and 2 at once is judged at each of them.
        let deep = [t(0, .complete, [1: 0, 2: 0, 4: 0]), t(1, .complete, [1: 9, 2: 9, 4: 9])]
        #expect(sh.shouldPrune(study: snap(deep), trial: t(2, .running, [4: 5])))
        // Auto min resource: max(⌊250/100⌋, 1) = 2 → first rung at step 2, so step 1 is never judged.
        let auto = SuccessiveHalvingPruner(reductionFactor: 2)
        let done = [t(0, .complete, [1: 0, 2: 0, 250: 0])]
        #expect(!auto.shouldPrune(study: snap(done), trial: t(1, .running, [1: 9])))
        #expect(auto.shouldPrune(study: snap(done), trial: t(1, .running, [1: 9, 2: 9])))
        #expect(!auto.shouldPrune(study: snap([]), trial: t(1, .running, [1: 9, 2: 9])))   // no COMPLETE yet
        // Bootstrap: with bootstrapCount 2, a rung with ≤ 2 values prunes.
        let boot = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2, bootstrapCount: 2)
        #expect(boot.shouldPrune(study: snap([t(0, .complete, [1: 5])]), trial: t(1, .running, [1: 0])))
        #expect(!boot.shouldPrune(study: snap([t(0, .complete, [1: 5]), t(1, .complete, [1: 6])]), trial: t(2, .running, [1: 0])))
    }

    @Test func hyperbandBracketsMatchOptuna() {
        #expect(CRC32.checksum(Array("study_0".utf8)) == 368_277_276)   // binascii.crc32(b"study_0")
        let hb = HyperbandPruner(minResource: 1, maxResource: 81, reductionFactor: 3)
        let budgets = hb.bracketBudgets(maxResource: 81)
        #expect(budgets == [81, 34, 15, 8, 5])
        // Brackets computed with Python: crc32(f"{name}_{n}") % 143 walked through the budgets.
        #expect(hb.bracket(studyName: "study", number: 0, budgets: budgets) == 1)
        #expect(hb.bracket(studyName: "study", number: 1, budgets: budgets) == 0)
        #expect((0...5).map { hb.bracket(studyName: "hb", number: $0, budgets: budgets) } == [0, 1, 0, 3, 0, 0])
    }

    @Test func hyperbandComparesWithinTheBracket() {
        // In study "hb", trials 0, 2, 4 are in bracket 0 (rungs at 1, 3, 9…), trial 1 in bracket 1.
        let hb = HyperbandPruner(minResource: 1, maxResource: 81, reductionFactor: 3)
        let trials = [t(0, .complete, [1: 1]), t(1, .complete, [1: 0, 3: 0]), t(2, .complete, [1: 2])]
        // Bracket 0, rung 0: competing 1, 2, 1.5 → top ⌊3/3⌋ = 1 continues: only 1.0 → 1.5 pruned.
        // Trial 1 (other bracket, value 0) must not count: 0.9 beats the bracket and continues.
        #expect(hb.shouldPrune(study: snap(trials, name: "hb"), trial: t(4, .running, [1: 1.5])))
        #expect(!hb.shouldPrune(study: snap(trials, name: "hb"), trial: t(4, .running, [1: 0.9])))
        // Auto max resource needs a COMPLETE trial.
        #expect(!HyperbandPruner().shouldPrune(study: snap([], name: "hb"), trial: t(4, .running, [1: 9])))
    }

    @Test func patientPruner() {
        let p = PatientPruner(wrapping: nil, patience: 2)
        let s = snap([])
        // Too few steps (≤ patience + 1): never.
        #expect(!p.shouldPrune(study: s, trial: t(0, .running, [0: 5, 1: 6, 2: 7])))
        // Improved within the window: min(5, 4) = 4 is not < min(3, 3.5, 3.2) = 3.
        #expect(!p.shouldPrune(study: s, trial: t(0, .running, [0: 5, 1: 4, 2: 3, 3: 3.5, 4: 3.2])))
        // Stalled: min(5, 3) = 3 < min(4, 4.5, 3.5) = 3.5.
        #expect(p.shouldPrune(study: s, trial: t(0, .running, [0: 5, 1: 3, 2: 4, 3: 4.5, 4: 3.5])))
        // minDelta: 3 + 1 < 3.5 is false → keep.
        #expect(!PatientPruner(wrapping: nil, patience: 2, minDelta: 1).shouldPrune(study: s, trial: t(0, .running, [0: 5, 1: 3, 2: 4, 3: 4.5, 4: 3.5])))
        // Maximize: max(1, 3) = 3 > max(2, 2.5, 2.9) = 2.9 → stalled.
        #expect(p.shouldPrune(study: snap([], .maximize), trial: t(0, .running, [0: 1, 1: 3, 2: 2, 3: 2.5, 4: 2.9])))
        // Stalled but the wrapped pruner says keep.
        #expect(!PatientPruner(wrapping: NopPruner(), patience: 2).shouldPrune(study: s, trial: t(0, .running, [0: 5, 1: 3, 2: 4, 3: 4.5, 4: 3.5])))
    }

    @Test func crossValidationPrunesAfterABadFold() throws {
        let study = try Study(name: "cv", pruner: MedianPruner(startupTrials: 1), heartbeat: .off)
        try study.optimize(trials: 1) { trial in try CrossValidation.run(trial, folds: 3) { _ in 1 } }
        try study.optimize(trials: 1) { trial in try CrossValidation.run(trial, folds: 3) { Double(5 + $0) } }
        try study.optimize(trials: 1) { trial in try CrossValidation.run(trial, folds: 3) { _ in 0.5 } }
        let ts = try study.trials()
        #expect(ts.map(\.state) == [.complete, .pruned, .complete])
        #expect(ts[1].intermediateValues == [0: 5])
        #expect(ts[2].values == [0.5] && ts[2].intermediateValues.count == 3)
    }
}
