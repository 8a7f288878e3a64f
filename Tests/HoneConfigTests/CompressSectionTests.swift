import HoneConfig
import Testing

@Test func compressSectionParsesStagesInOrder() throws {
    let yaml = """
    compress:
      seed: 3
      fine_tune: {epochs: 2, batch_size: 64, learning_rate: 0.0005}
      stages:
        - distill: {teacher: wide.safetensors, temperature: 6, alpha: 0.8, epochs: 4}
        - prune: {method: structured, sparsity: 0.5, structure: filters, norm: l2}
        - prune: {method: magnitude, sparsity: 0.9, scope: global, schedule: polynomial, layers: ["1", "3"]}
        - quantize: {calibration: mse, calibration_samples: 512}
    """
    let c = try HoneConfig.parse(yaml, file: "c.yaml").compression!
    #expect(c.seed == 3 && c.fineTune.epochs == 2 && c.fineTune.batchSize == 64 && c.fineTune.learningRate == 0.0005)
    #expect(c.stages.count == 4)
    if case .quantize(let q) = c.stages[3] { #expect(q.calibration == "mse" && q.calibrationSamples == 512) }
    else { Issue.record("stage 3 is not quantize: \(c.stages[3])") }
    guard case .distill(let d) = c.stages[0], case .prune(let s) = c.stages[1], case .prune(let m) = c.stages[2] else {
        Issue.record("wrong stage kinds: \(c.stages)"); return
    }
    #expect(d.teacher == "wide.safetensors" && d.temperature == 6 && d.alpha == 0.8 && d.epochs == 4)
    #expect(s.method == "structured" && s.sparsity == 0.5 && s.norm == "l2")
    #expect(m.scope == "global" && m.schedule == "polynomial" && m.layers == ["1", "3"])
}

@Test(arguments: [
    ("compress:\n  stages:\n    - prune: {sparsity: 1.0}\n", "c.yaml:3:25: compress.stages[0].prune.sparsity: expected a sparsity in [0, 1)"),
    ("compress:\n  stages:\n    - prune: {sparsity: -0.1}\n", "compress.stages[0].prune.sparsity: expected a sparsity in [0, 1)"),
    ("compress:\n  stages:\n    - prune: {methd: nm}\n", "compress.stages[0].prune.methd: unknown key; did you mean \"method\"?"),
    ("compress:\n  stages:\n    - prune: {method: magnitud}\n", "did you mean \"magnitude\"?"),
    ("compress:\n  stages:\n    - distil: {teacher: t}\n", "compress.stages[0].distil: unknown key; did you mean \"distill\"?"),
    ("compress:\n  stages:\n    - distill: {temperature: 2}\n", "compress.stages[0].distill: distill needs a teacher model"),
    ("compress:\n  stages:\n    - quantize: {calibration: minmx}\n", "compress.stages[0].quantize.calibration: unknown value \"minmx\"; did you mean \"minmax\"?"),
    ("compress:\n  stages: []\n", "compress.stages: expected at least one stage"),
    ("compress:\n  stage: []\n", "compress.stage: unknown key; did you mean \"stages\"?"),
    ("compress:\n  stages:\n    - prune: {method: nm, n: 4, m: 4}\n", "n:m pruning needs 0 < n < m"),
])
func compressSectionErrorsNameFileLineAndField(yaml: String, expected: String) {
    do {
        _ = try HoneConfig.parse(yaml, file: "c.yaml")
        Issue.record("expected an error containing \(expected)")
    } catch {
        #expect("\(error)".contains(expected), "got: \(error)")
    }
}
