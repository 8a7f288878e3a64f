import Foundation
import HoneCompute
import HoneConfig
import HoneData
import HoneNN
import HoneTensor
import HoneTrain
import HoneTune

/// A fixed assignment of parameter values (a finished trial's, for the retrain).
public struct FixedParameters: ParameterSource {
    public var values: [String: ParamValue]
    public init(_ values: [String: ParamValue]) { self.values = values }
    public func value(for name: String, in distribution: Distribution) throws -> ParamValue {
        guard let v = values[name] else { throw RunError("the best trial has no value for \(name); was the config changed since the study ran?") }
        return v
    }
}

/// What `hone tune` reports at the end (`--json` prints it as one line).
public struct TuneSummary: Codable, Sendable {
    public var study: String
    public var trialsCompleted: Int
    public var trialsPruned: Int
    public var trialsFailed: Int
    public var bestTrial: Int
    public var bestParams: [String: String]
    public var bestValidation: Double
    public var testAccuracy: Double
    public var wallSeconds: Double
    public var artifacts: [String]
    /// With `search.objectives` beyond accuracy: the trial numbers on the Pareto front.
    public var paretoFront: [Int]?

    enum CodingKeys: String, CodingKey {
        case study, trialsCompleted = "trials_completed", trialsPruned = "trials_pruned", trialsFailed = "trials_failed"
        case bestTrial = "best_trial", bestParams = "best_params", bestValidation = "best_validation"
        case testAccuracy = "test_accuracy", wallSeconds = "wall_s", artifacts, paretoFront = "pareto_front"
    }

    public var jsonLine: String {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? enc.encode(self)) ?? Data(), as: UTF8.self)
    }
}

/// Options of one `hone tune` invocation that are not part of the config.
public struct TuneOptions: Sendable {
    public var trials: Int?
    public var timeout: Double?
    public var study: String?
    public var output: String?
    /// Storage URL (overrides search.storage; default: the run directory's study.db).
    public var storage: String?
    public var quiet = false
    public var interrupt = InterruptFlag()
    public init() {}
}

/// `hone tune`: tune on a validation split of the training data, retrain the best configuration
/// on the whole training set, evaluate it once on the test set, and write every artifact.
public enum TuneRun {
    public static func run(config: HoneConfig, options: TuneOptions,
                           log: @escaping @Sendable (String) -> Void) throws -> TuneSummary {
        let started = Date()
        var config = config
        if let o = options.output { config.output = o }
        let studyName = options.study ?? config.search.study ?? "default"
        let dir = RunDirectory(output: config.output, study: studyName)
        let data = try LoadedData.load(config)
        // Build one model up front so impossible shapes fail before anything is written.
        _ = try ModelBuilder(config: config).architecture(inputShape: data.inputShape, classes: data.classCount,
                                                          source: FirstChoice())
        try dir.create()
        let storage = try openStorage(options.storage ?? config.search.storage ?? dir.storageURL)
        let sampler = try SamplerRegistry.make(config.search.sampler,
                                               SamplerOptions(seed: UInt64(config.search.seed), directions: [.maximize]))
        let study = try Study(name: studyName, direction: .maximize, sampler: sampler,
                              pruner: try Pruners.make(config.search.pruner, epochs: config.training.epochs),
                              storage: storage)
        let budget = options.trials ?? config.search.trials
        let timeout = options.timeout ?? config.search.timeout
        let already = try study.trials().filter { $0.state.isFinished }.count
        log("study \(studyName): \(data.origin); \(already) finished trials so far, budget \(budget)" +
            (timeout.map { ", timeout \(Int($0)) s" } ?? "") + "; artifacts in \(dir.root.path)")
        let progress = TuneProgress(total: budget, log: log)
        var objective = Objective(config: config, data: data, dir: dir, interrupt: options.interrupt, quiet: options.quiet)
        let best: FrozenTrial
        let final: FinalModel
        if config.search.scheduler == "pbt" {
            log("population-based training: \(config.search.population) members, exploit/explore every \(config.search.pbtInterval) epochs")
            let outcome = try PopulationBasedTraining.run(config: config, data: data, study: study, dir: dir,
                                                           interrupt: options.interrupt, quiet: options.quiet, log: log)
            best = outcome.best
            try ModelFile.save(outcome.model, to: dir.bestModel, metadata: ["trained": "pbt trial \(best.number)"])
            try ModelFile.writeArchitecture(try Architecture(describing: outcome.model), to: dir.bestArchitecture)
            final = FinalModel.measure(outcome.model, data: data, history: outcome.history)
            log(String(format: "best member: trial %d, validation accuracy %.4f; test accuracy %.4f", best.number,
                       best.value ?? .nan, final.testAccuracy))
        } else {
            // One trial per optimize call, so progress is printed after the trial's state is stored.
            if config.search.parallelism > 1 {
                log("running \(config.search.parallelism) trials at a time, \(max(1, Compute.threadCount / config.search.parallelism)) kernel thread(s) each")
            }
            let searchStart = Date()
            objective.deadline = timeout.map { searchStart.addingTimeInterval($0) }
            let objective = objective
            try SearchLoop.run(study: study, budget: budget, timeout: timeout, parallelism: config.search.parallelism,
                               catching: [TrainingError.self],
                               onTrialEnd: { progress.trialEnded(study: study, number: $0) },
                               objective: { try objective($0) })
            if let timeout, Date().timeIntervalSince(searchStart) >= timeout,
               try study.trials().filter({ $0.state != .waiting }).count < budget {
                log("timeout reached; stopping the search")
            }
            best = try study.bestTrial()
            log("best trial \(best.number): validation accuracy \(String(format: "%.4f", best.value ?? .nan)); retraining on the full training set")
            final = try Retrain.run(config: config, data: data, best: best, dir: dir, interrupt: options.interrupt,
                                    quiet: options.quiet, log: log)
        }
        let trials = try study.trials()
        let front = ParetoObjectives.front(trials: trials, objectives: config.search.objectives)
        var summary = TuneSummary(
            study: studyName,
            trialsCompleted: trials.filter { $0.state == .complete }.count,
            trialsPruned: trials.filter { $0.state == .pruned }.count,
            trialsFailed: trials.filter { $0.state == .fail }.count,
            bestTrial: best.number,
            bestParams: best.externalParams.mapValues(\.description),
            bestValidation: best.value ?? .nan,
            testAccuracy: final.testAccuracy,
            wallSeconds: Date().timeIntervalSince(started),
            artifacts: [dir.studyDatabase, dir.metrics, dir.root.appendingPathComponent("tensorboard"),
                        dir.bestModel, dir.bestArchitecture, dir.report, dir.summary].map(\.path))
        if config.search.objectives.count > 1 { summary.paretoFront = front.map(\.trial) }
        try ReportWriter.write(config: config, data: data, study: study, final: final, summary: summary, dir: dir)
        try Data((summary.jsonLine + "\n").utf8).write(to: dir.summary, options: .atomic)
        return summary
    }
}

/// Picks the first value of every distribution (first choice, lower bound): a representative
/// configuration, used to validate shapes before a study and as lr-find's default.
public struct FirstChoice: ParameterSource {
    public init() {}
    public func value(for name: String, in distribution: Distribution) throws -> ParamValue {
        switch distribution {
        case let .float(low, _, _, _): return .float(low)
        case let .int(low, _, _, _): return .int(low)
        case let .categorical(choices): return .choice(choices[0])
        }
    }
}

/// One trial: resolve the configuration, build and train the model on the tuning split,
/// report each epoch, return the best validation accuracy.
struct Objective: Sendable {
    let config: HoneConfig
    let data: LoadedData
    let dir: RunDirectory
    let interrupt: InterruptFlag
    let quiet: Bool
    /// When the search's timeout passes; a trial still training then stops at its next epoch.
    var deadline: Date? = nil

    func callAsFunction(_ trial: Trial) throws -> Double {
        let arch = try ModelBuilder(config: config).architecture(inputShape: data.inputShape, classes: data.classCount, source: trial)
        let plan = try TrainingPlan(config, source: trial)
        let model = try arch.build(seed: plan.seed &+ UInt64(trial.number))
        try trial.setUserAttribute("parameters", String(model.parameterCount))
        let reporter = TrialReporter(trial: trial, interrupt: interrupt, deadline: deadline)
        var callbacks: [any Callback] = [NonFiniteLossGuard(), reporter,
                                         try TrialRecorder(trialNumber: trial.number, metricsPath: dir.metrics,
                                                           tensorBoardDirectory: dir.tensorBoard(trial: trial.number))]
        if plan.schedule != "none" || plan.warmupEpochs > 0 {
            callbacks.append(LearningRateScheduler(plan.epochSchedule, baseLearningRate: plan.learningRate))
        }
        if let p = plan.earlyStoppingPatience {
            callbacks.append(EarlyStopping(monitor: "val_accuracy", mode: .max, patience: p, restoreBest: false))
        }
        if !quiet { callbacks.append(ProgressLogger()) }
        try fit(model, loss: plan.loss, optimizer: plan.makeOptimizer(for: model), data: data.train, epochs: plan.epochs,
                batchSize: plan.batchSize, validation: .split(fraction: config.data.validationSplit), callbacks: callbacks,
                seed: plan.seed &+ UInt64(trial.number), augmentation: plan.augmentation(imageShape: data.inputShape))
        if reporter.stoppedByDeadline { try trial.setUserAttribute("stopped_by_timeout", "true") }
        try ParetoObjectives.record(model, trial: trial, objectives: config.search.objectives, inputShape: data.inputShape)
        return reporter.best
    }
}

extension TuneRun {
    /// Rebuilds `report.html` of an existing run directory from its study, metrics and saved best
    /// model (re-evaluated on the test set). Returns the report's location.
    public static func report(config: HoneConfig, study name: String?, output: String?) throws -> URL {
        var config = config
        if let output { config.output = output }
        let studyName = name ?? config.search.study ?? "default"
        let dir = RunDirectory(output: config.output, study: studyName)
        guard FileManager.default.fileExists(atPath: dir.studyDatabase.path) else {
            throw RunError("no study in \(dir.root.path) (looked for \(dir.studyDatabase.lastPathComponent)); run `hone tune` first")
        }
        guard FileManager.default.fileExists(atPath: dir.bestModel.path) else {
            throw RunError("no retrained model in \(dir.root.path) (\(dir.bestModel.lastPathComponent)); the study has not finished")
        }
        let data = try LoadedData.load(config)
        let study = try Study(name: studyName, direction: .maximize, storage: try openStorage(dir.storageURL),
                              heartbeat: HeartbeatOptions(interval: nil))
        let model = try ModelFile.load(from: dir.bestModel)
        let final = FinalModel.measure(model, data: data, history: [])
        let trials = try study.trials()
        let best = try study.bestTrial()
        let previous = (try? Data(contentsOf: dir.summary)).flatMap { try? JSONDecoder().decode(TuneSummary.self, from: $0) }
        let summary = TuneSummary(
            study: studyName, trialsCompleted: trials.filter { $0.state == .complete }.count,
            trialsPruned: trials.filter { $0.state == .pruned }.count, trialsFailed: trials.filter { $0.state == .fail }.count,
            bestTrial: best.number, bestParams: best.externalParams.mapValues(\.description),
            bestValidation: best.value ?? .nan, testAccuracy: final.testAccuracy,
            wallSeconds: previous?.wallSeconds ?? .nan, artifacts: previous?.artifacts ?? [])
        try ReportWriter.write(config: config, data: data, study: study, final: final, summary: summary, dir: dir)
        return dir.report
    }
}
