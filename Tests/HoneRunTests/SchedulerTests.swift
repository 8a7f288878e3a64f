import Foundation
import Testing
import HoneConfig
import HoneRun
import HoneTune

@Suite(.serialized) struct SchedulerTests {
    @Test func lrFinderSweepsAndSuggestsARateInsideTheSweep() throws {
        let config = try HoneConfig.parse("data: {source: bundled, train_limit: 2000}\nmodel: {family: mlp, mlp: {depth: 1, width: 64}}\n", file: "t")
        let data = try LoadedData.load(config)
        let r = try LRFinder.run(config: config, data: data, source: FirstChoice(), start: 1e-5, end: 1, steps: 40)
        #expect(r.learningRates.count >= 5 && r.learningRates.count <= 40)
        #expect(zip(r.learningRates, r.learningRates.dropFirst()).allSatisfy { $0 < $1 })   // rising exponentially
        #expect(r.losses.allSatisfy { $0.isFinite })
        #expect(r.steepest >= 1e-5 && r.steepest <= 1)
        #expect(LRFinder.chart(r).contains("Learning-rate range test"))
    }

    @Test func populationBasedTrainingExploitsAndRecordsIt() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("hone-pbt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let config = try HoneConfig.parse("""
        data: {source: bundled, train_limit: 1500}
        model: {family: mlp, mlp: {depth: 1, width: 32}}
        training:
          learning_rate: {low: 1.0e-5, high: 3.0e-2, log: true}
          epochs: 3
        search: {scheduler: pbt, population: 4, pbt_interval: 1, study: pbt, seed: 3}
        """, file: "pbt.yaml")
        var options = TuneOptions()
        options.output = out.path; options.quiet = true
        let summary = try TuneRun.run(config: config, options: options, log: { _ in })
        #expect(summary.trialsCompleted == 4)
        #expect(summary.testAccuracy > 0.3)
        let study = try Study(name: "pbt", direction: .maximize, storage: try openStorage("sqlite:///" + out.path + "/pbt/study.db"),
                              heartbeat: HeartbeatOptions(interval: nil))
        let trials = try study.trials()
        // Two exploit rounds (after epochs 1 and 2), one loser each with a population of four.
        let exploits = trials.flatMap { $0.userAttributes.keys.filter { $0.hasPrefix("pbt_round_") } }
        #expect(exploits.count == 2)
        #expect(trials.allSatisfy { $0.intermediateValues.count == 3 })
        #expect(FileManager.default.fileExists(atPath: out.path + "/pbt/report.html"))
    }

    @Test func searchTimeoutStopsTheTrialInFlight() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("hone-deadline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        // 200 epochs of this model take seconds (≈ 10 ms each); the 0.5-second timeout must end the
        // first trial after some epochs. The retrain afterwards runs all 200 epochs.
        let config = try HoneConfig.parse("""
        data: {source: bundled, train_limit: 4000}
        model: {family: mlp, mlp: {depth: 1, width: 128}}
        training: {epochs: 200}
        search: {sampler: random, pruner: none, trials: 5, timeout: 0.5, study: deadline, seed: 1}
        """, file: "deadline.yaml")
        var options = TuneOptions()
        options.output = out.path; options.quiet = true
        let summary = try TuneRun.run(config: config, options: options, log: { _ in })
        #expect(summary.trialsCompleted == 1)
        let study = try Study(name: "deadline", direction: .maximize, storage: try openStorage("sqlite:///" + out.path + "/deadline/study.db"),
                              heartbeat: HeartbeatOptions(interval: nil))
        let trials = try study.trials()
        #expect(trials.count == 1)
        let reported = trials[0].intermediateValues.count
        #expect(reported >= 1 && reported < 200)
        #expect(trials[0].userAttributes["stopped_by_timeout"] != nil)
        #expect(summary.testAccuracy > 0.3)   // the stopped trial was still chosen, retrained and evaluated
    }
}
