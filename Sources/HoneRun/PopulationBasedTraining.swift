import Foundation
import HoneConfig
import HoneData
import HoneNN
import HoneRandom
import HoneTensor
import HoneTrain
import HoneTune

/// Population-based training (Jaderberg et al., "Population Based Training of Neural Networks",
/// arXiv:1711.09846) as a scheduler for `hone tune` (`search.scheduler: pbt`).
///
/// A population of `search.population` members starts from configurations the study's sampler
/// proposes (one trial each). Every `search.pbt_interval` epochs all members are evaluated on
/// the same validation split; each member in the bottom quarter *exploits* a random member of
/// the top quarter — copies its weights, BatchNorm statistics and hyperparameters — and then
/// *explores*: its learning rate and weight decay are each multiplied by 0.8 or 1.2 (seeded).
/// Optimizer state restarts after a copy; learning-rate schedules are not used (the population
/// search replaces them). Each exploit is recorded as a user attribute of the trial, and every
/// round's validation accuracy is reported as the trial's intermediate value.
///
/// The result is the best member's *trained* model (its hyperparameters changed over time, so
/// it is not retrained from scratch).
enum PopulationBasedTraining {
    final class Member {
        let trial: Trial
        let model: any Layer
        var plan: TrainingPlan
        var optimizer: Optimizer
        var last = -Double.infinity
        var best = -Double.infinity
        var history: [EpochLog] = []
        let tensorBoard: TensorBoardWriter

        init(trial: Trial, model: any Layer, plan: TrainingPlan, tensorBoard: TensorBoardWriter) {
            self.trial = trial; self.model = model; self.plan = plan; self.tensorBoard = tensorBoard
            self.optimizer = plan.makeOptimizer(for: model)
        }
    }

    struct Outcome {
        var best: FrozenTrial
        var model: any Layer
        var history: [EpochLog]
    }

    static func run(config: HoneConfig, data: LoadedData, study: Study, dir: RunDirectory, interrupt: InterruptFlag,
                    quiet: Bool, log: @escaping @Sendable (String) -> Void) throws -> Outcome {
        let size = config.search.population, interval = config.search.pbtInterval
        let split = try Splits.holdout(labels: data.train.labels, validationFraction: config.data.validationSplit,
                                       stratified: true, seed: UInt64(config.training.seed))
        let train = data.train.selecting(split.train), validation = data.train.selecting(split.validation)
        var members: [Member] = []
        for _ in 0..<size {
            let trial = try study.ask()
            let arch = try ModelBuilder(config: config).architecture(inputShape: data.inputShape, classes: data.classCount, source: trial)
            var plan = try TrainingPlan(config, source: trial)
            plan.schedule = "none"; plan.warmupEpochs = 0
            members.append(Member(trial: trial, model: try arch.build(seed: plan.seed &+ UInt64(trial.number)), plan: plan,
                                  tensorBoard: try TensorBoardWriter(directory: dir.tensorBoard(trial: trial.number))))
        }
        var generator = SeededGenerator(seed: UInt64(config.search.seed), stream: stableHash("hone.pbt"))
        var epochsDone = 0, round = 0
        while epochsDone < config.training.epochs {
            let epochs = min(interval, config.training.epochs - epochsDone)
            for m in members {
                let callbacks: [any Callback] = [NonFiniteLossGuard(), InterruptCheck(interrupt)] + (quiet ? [] : [ProgressLogger()])
                do {
                    let h = try fit(m.model, loss: m.plan.loss, optimizer: m.optimizer, data: train, epochs: epochs,
                                    batchSize: m.plan.batchSize, validation: .data(validation), callbacks: callbacks,
                                    seed: m.plan.seed &+ UInt64(m.trial.number * 1000 + round),
                                    augmentation: m.plan.augmentation(imageShape: data.inputShape))
                    m.history += h.map { EpochLog(epoch: epochsDone + $0.epoch, values: $0.values) }
                    m.last = h.last?["val_accuracy"] ?? -.infinity
                } catch is TrainingError {
                    m.last = -.infinity   // diverged: it will exploit a better member
                }
                m.best = max(m.best, m.last)
                try m.trial.report(m.last.isFinite ? m.last : 0, step: epochsDone + epochs)
                for r in m.history.suffix(epochs) {
                    try MetricRecord.append(MetricRecord(trial: m.trial.number, epoch: r.epoch, values: r.values), to: dir.metrics)
                    var scalars = r.values.filter { $0.value.isFinite }
                    scalars["learning_rate"] = m.plan.learningRate
                    try m.tensorBoard.add(scalars: scalars, step: r.epoch)
                }
            }
            epochsDone += epochs; round += 1
            let ranked = members.sorted { $0.last > $1.last }
            log("pbt round \(round) (epoch \(epochsDone)): " + ranked.map { "#\($0.trial.number) \(String(format: "%.4f", $0.last))" }.joined(separator: "  "))
            guard epochsDone < config.training.epochs else { break }
            let quarter = max(1, size / 4)
            for loser in ranked.suffix(quarter) {
                let donor = ranked[Int(generator.bounded(UInt64(quarter)))]
                guard donor !== loser else { continue }
                exploit(loser, from: donor, generator: &generator)
                try loser.trial.setUserAttribute("pbt_round_\(round)",
                    String(format: "copied trial %d; lr %.3g, weight decay %.3g", donor.trial.number, loser.plan.learningRate, loser.plan.weightDecay))
            }
        }
        for m in members {
            try m.tensorBoard.close()
            _ = try study.tell(m.trial, m.best.isFinite ? m.best : 0)
        }
        let winner = members.max { $0.best < $1.best }!
        let record = try study.trials().first { $0.number == winner.trial.number }!
        return Outcome(best: record, model: winner.model, history: winner.history)
    }

    /// Copies `donor`'s weights, buffers and hyperparameters into `member`, then perturbs its
    /// learning rate and weight decay by ×0.8 or ×1.2.
    static func exploit(_ member: Member, from donor: Member, generator: inout SeededGenerator) {
        let source = Dictionary(uniqueKeysWithValues: donor.model.namedParameters.map { ($0.0, $0.1) })
        for (name, p) in member.model.namedParameters { if let d = source[name], d.shape == p.shape { p.value = d.value } }
        let buffers = Dictionary(uniqueKeysWithValues: donor.model.namedBuffers.map { ($0.0, $0.1) })
        for (name, b) in member.model.namedBuffers { if let d = buffers[name], d.value.shape == b.value.shape { b.value = d.value } }
        var plan = donor.plan
        plan.learningRate *= generator.nextDouble() < 0.5 ? 0.8 : 1.2
        plan.weightDecay *= generator.nextDouble() < 0.5 ? 0.8 : 1.2
        plan.seed = member.plan.seed
        member.plan = plan
        member.optimizer = plan.makeOptimizer(for: member.model)
        member.last = donor.last
    }
}
