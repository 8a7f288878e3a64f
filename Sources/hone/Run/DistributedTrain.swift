import ArgumentParser
import Foundation
import HoneConfig
import HoneData
import HoneDistributed
import HoneNN
import HoneRun
import HoneTrain

/// `hone train CONFIG --distributed` under `mpirun -np N`: data-parallel training of one
/// configuration (see `DataParallelTrainer`): the config's batch size is the global batch, each
/// rank trains on its shard of every batch, gradients are all-reduced, rank 0 checkpoints the
/// model after every epoch to `OUTPUT/NAME/best-model.safetensors` (and resumes from it with
/// `--resume`), evaluates it on the test set and writes the artifacts.
enum DistributedTrain {
    static func communicator() throws -> any Communicator {
        #if MPI
        if MPICommunicator.launchedByMPI { return MPICommunicator.world() }
        throw ValidationError("--distributed: start hone with mpirun, e.g. `mpirun -np 2 hone train CONFIG --distributed`")
        #else
        throw ValidationError("--distributed: this hone was built without MPI; rebuild with `swift build -c release --traits MPI` (needs libopenmpi-dev)")
        #endif
    }

    static func run(config: HoneConfig, source: any ParameterSource, name: String, resume: Bool,
                    json: Bool, quiet: Bool) throws {
        let comm = try communicator()
        let isRoot = comm.rank == 0
        let say: @Sendable (String) -> Void = { line in if isRoot { RunSupport.say(line) } }
        let started = Date()
        let data = try LoadedData.load(config)
        let dir = RunDirectory(output: config.output, study: name)
        if comm.rank == 0 { try dir.create() }
        let arch = try ModelBuilder(config: config).architecture(inputShape: data.inputShape, classes: data.classCount, source: source)
        let plan = try TrainingPlan(config, source: source)
        let model = try arch.build(seed: plan.seed)
        let optimizer = plan.makeOptimizer(for: model)
        var options = DataParallelOptions(epochs: plan.epochs, globalBatchSize: plan.batchSize, seed: plan.seed)
        options.checkpoint = dir.bestModel
        options.resume = resume
        if plan.flip || plan.crop > 0 || plan.noise > 0 || plan.rotate > 0 {
            say("note: augmentation is not applied in distributed training")
        }
        say("data-parallel training on \(comm.size) ranks: global batch \(plan.batchSize) (\(plan.batchSize / comm.size) rows per rank), \(plan.epochs) epochs; \(data.origin)")
        let schedule = plan.schedule != "none" || plan.warmupEpochs > 0 ? plan.epochSchedule : nil
        let trainer = DataParallelTrainer(model: model, optimizer: optimizer, loss: plan.loss, communicator: comm)
        let history = try trainer.fit(data.train, options, epochWillBegin: { epoch in
            if let schedule { optimizer.learningRateScale = schedule.learningRate(base: plan.learningRate, step: epoch - 1) / plan.learningRate }
        }, epochDidEnd: { log in
            if !quiet {
                say(String(format: "epoch %d: loss %.4f, accuracy %.4f, %.0f samples/s (all ranks)", log.epoch,
                           log["loss"] ?? .nan, log["accuracy"] ?? .nan, log["samples_per_s"] ?? .nan))
            }
        })
        guard comm.rank == 0 else { return }
        try ModelFile.writeArchitecture(arch, to: dir.bestArchitecture)
        let test = evaluate(model, data: data.test, loss: plan.loss, batchSize: 500)
        say(String(format: "test accuracy %.4f (loss %.4f); model saved to %@", test.accuracy ?? .nan, test.loss, dir.bestModel.path))
        if json {
            let obj: [String: Any] = ["command": "train", "distributed": true, "ranks": comm.size,
                                      "test_accuracy": test.accuracy ?? -1, "test_loss": test.loss,
                                      "epochs_run": history.count, "wall_s": Date().timeIntervalSince(started),
                                      "samples_per_s": history.last?["samples_per_s"] ?? 0,
                                      "artifacts": [dir.bestModel.path, dir.bestArchitecture.path]]
            say(String(decoding: try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), as: UTF8.self))
        }
    }
}
