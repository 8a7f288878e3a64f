import Foundation
import HoneConfig
import HoneRun
import HoneTune
import Testing

@Test func paretoFrontKeepsTrialsNoOtherBeatsOnEveryObjective() {
    func trial(_ n: Int, _ acc: Double, _ bytes: Int, _ ms: Double, _ state: TrialState = .complete) -> FrozenTrial {
        FrozenTrial(id: Int64(n), number: n, state: state, values: [acc],
                    userAttributes: [ParetoObjectives.sizeKey: String(bytes), ParetoObjectives.latencyKey: String(ms)])
    }
    let trials = [trial(0, 0.90, 1000, 2.0), trial(1, 0.85, 400, 1.0), trial(2, 0.84, 500, 1.5),   // 2 dominated by 1
                  trial(3, 0.88, 900, 0.5), trial(4, 0.95, 100, 0.1, .pruned)]                      // 4 not complete
    let front = ParetoObjectives.front(trials: trials, objectives: ["accuracy", "size", "latency"])
    #expect(front.map(\.trial) == [0, 3, 1])
    #expect(front[0].values == [0.90, 1000, 2.0])
    // Accuracy × size only: trial 3 (0.88, 900) is dominated by nobody, trial 1 neither.
    #expect(ParetoObjectives.front(trials: trials, objectives: ["accuracy", "size"]).map(\.trial) == [0, 3, 1])
    #expect(ParetoObjectives.front(trials: trials, objectives: ["accuracy"]).isEmpty)
}

@Test func tuneWithSizeAndLatencyObjectivesReportsTheParetoFront() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("hone-pareto-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let config = try HoneConfig.parse("""
    data: {source: bundled, train_limit: 600}
    model: {family: mlp, mlp: {depth: 1, width: {choices: [16, 64]}}}
    training: {epochs: 1}
    search: {sampler: random, pruner: none, trials: 3, study: pareto, seed: 1, objectives: [accuracy, size, latency]}
    """, file: "pareto.yaml")
    var options = TuneOptions()
    options.output = out.path; options.quiet = true
    let summary = try TuneRun.run(config: config, options: options, log: { _ in })
    let front = try #require(summary.paretoFront)
    #expect(!front.isEmpty)
    #expect(summary.jsonLine.contains("\"pareto_front\""))
    let report = try String(contentsOf: out.appendingPathComponent("pareto/report.html"), encoding: .utf8)
    #expect(report.contains("Pareto front") && report.contains("latency ms (b128)"))
}
