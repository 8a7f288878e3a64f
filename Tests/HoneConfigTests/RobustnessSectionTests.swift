import HoneConfig
import Testing

@Suite struct RobustnessSectionTests {
    func error(_ yaml: String) -> ConfigError? {
        do { _ = try HoneConfig.parse(yaml, file: "r.yaml"); return nil } catch let e as ConfigError { return e } catch { return nil }
    }

    @Test func parsesAdversarialTrainingAndEvaluation() throws {
        let c = try HoneConfig.parse("""
        robustness:
          adversarial: fgsm-rs
          eps: 0.1
          warmup_epochs: 1
          evaluate:
            attacks: [fgsm, pgd, apgd-ce, square]
            eps: [0.05, 0.1]
            steps: 50
            restarts: 5
            samples: 2000
        """, file: "r.yaml")
        let r = try c.robustnessSection()
        #expect(r.adversarial == "fgsm-rs" && r.eps == 0.1 && r.warmupEpochs == 1 && r.earlyStopping)
        #expect(r.evaluate.attacks == ["fgsm", "pgd", "apgd-ce", "square"] && r.evaluate.eps == [0.05, 0.1])
        #expect(r.evaluate.steps == 50 && r.evaluate.restarts == 5 && r.evaluate.samples == 2000)
        #expect(try HoneConfig.parse("data: {source: bundled}\n", file: "x").robustnessSection().adversarial == "none")
    }

    @Test func badValuesNameFileLineAndField() throws {
        let e = try #require(error("robustness:\n  eps: -0.1\n"))
        #expect(e.path == "robustness.eps" && e.line == 2)
        #expect(e.message.contains("eps ≥ 0"))
        let e2 = try #require(error("robustness:\n  adversarial: pgd\n  steps: 0\n"))
        #expect(e2.path == "robustness.steps" && e2.line == 3)
        let e3 = try #require(error("robustness:\n  adversarial: madry\n"))
        #expect(e3.path == "robustness.adversarial" && e3.message.contains("fgsm-rs"))
        let e4 = try #require(error("robustness:\n  evaluate:\n    attacks: [pgd, deepfoo]\n"))
        #expect(e4.line == 3 && e4.message.contains("deepfool"))
        let e5 = try #require(error("robustness:\n  epsilon: 0.1\n"))
        #expect(e5.message.contains("unknown key"))
    }
}
