import ArgumentParser
import Foundation
import HoneCompute
import HoneData
import HoneDistributed
import HoneNN
import HoneTensor
import HoneTrain

/// `hone-bench distributed`: data-parallel training of `mlp`/`cnn` (or a pipeline-parallel
/// gradient check) over N ranks — threads of this process (`--ranks N`), or MPI processes when
/// built with `--traits MPI` and started by `mpirun -np N`. With `--reference`, rank 0 then
/// trains the same model single-process with the same global batch (HoneTrain's `fit`) and
/// reports the largest relative difference of the per-batch losses and the accuracies.
struct DistributedBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Data-parallel training / pipeline gradient check over ranks (threads or MPI).")

    @Option(help: "data (data-parallel training) or pipeline (gradient check).") var mode = "data"
    @Option(help: "mlp or cnn.") var model = "cnn"
    @Option(help: "Ranks as threads of this process (ignored under mpirun).") var ranks = 2
    @Option(help: "Kernel threads per rank.") var threads = 1
    @Option(help: "Epochs.") var epochs = 1
    @Option(help: "Global batch size.") var batch = 128
    @Option(help: "Training rows to use (0 = all).") var limit = 0
    @Option(help: "Learning rate (SGD).") var lr = 0.05
    @Option(help: "Micro-batches (pipeline mode).") var microBatches = 4
    @Option(help: "Directory with the Fashion-MNIST IDX files (default: Debian's, else the bundled subset).")
    var data = FashionMNIST.debianDirectory
    @Flag(help: "Also train single-process on rank 0 and compare.") var reference = false

    func validate() throws {
        guard ["data", "pipeline"].contains(mode) else { throw ValidationError("--mode: expected data or pipeline, got '\(mode)'") }
        guard ["mlp", "cnn"].contains(model) else { throw ValidationError("--model: expected mlp or cnn, got '\(model)'") }
        guard ranks >= 1, threads >= 1, epochs >= 1, batch >= 1, limit >= 0, microBatches >= 1 else {
            throw ValidationError("--ranks, --threads, --epochs, --batch, --micro-batches must be ≥ 1 and --limit ≥ 0")
        }
    }

    func loadData() throws -> (InMemoryDataset, InMemoryDataset, String) {
        var train: InMemoryDataset, test: InMemoryDataset, origin: String
        if FileManager.default.fileExists(atPath: data + "/train-images-idx3-ubyte.gz")
            || FileManager.default.fileExists(atPath: data + "/train-images-idx3-ubyte") {
            train = try FashionMNIST.load(directory: data, split: .train)
            test = try FashionMNIST.load(directory: data, split: .test)
            origin = "fashion-mnist"
        } else {
            let d = try BundledData.fashionMNISTSubset()
            train = d.train; test = d.test; origin = "fashion-mnist bundled subset"
        }
        if limit > 0 && limit < train.count { train = train.selecting(Array(0..<limit)) }
        if model == "cnn" {
            train = train.reshaped(featureShape: [1, 28, 28]); test = test.reshaped(featureShape: [1, 28, 28])
        }
        return (train, test, origin)
    }

    func build() -> Sequential { model == "mlp" ? Models.mlp(seed: 7) : Models.cnn(seed: 7) }

    func run() throws {
        Compute.threadCount = threads
        let (train, test, origin) = try loadData()
        let job: @Sendable (any Communicator) throws -> String = { [self] comm in
            mode == "data" ? try dataParallel(comm, train, test, origin) : try pipeline(comm, train)
        }
        #if MPI
        if MPICommunicator.launchedByMPI {
            let out = try job(MPICommunicator.world())
            if !out.isEmpty { print(out) }
            return
        }
        #endif
        let outs = try InProcessGroup.run(size: ranks) { try job($0) }
        for o in outs where !o.isEmpty { print(o) }
    }

    private func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
    }

    func dataParallel(_ comm: any Communicator, _ train: InMemoryDataset, _ test: InMemoryDataset, _ origin: String) throws -> String {
        let net = build()
        let trainer = DataParallelTrainer(model: net, optimizer: Optimizer(net, sgd(learningRate: .constant(lr))),
                                          communicator: comm)
        var losses: [Double] = []
        comm.barrier()
        let cpu0 = cpuSeconds()
        let logs = try trainer.fit(train, DataParallelOptions(epochs: epochs, globalBatchSize: batch, seed: 3), onBatch: { _, l in losses.append(l) })
        let cpu = cpuSeconds() - cpu0
        guard comm.rank == 0 else { return "" }
        let acc = evaluate(net, data: test, batchSize: 500).accuracy ?? .nan
        var fields: [String] = [
            "\"bench\": \"distributed-data\"", "\"model\": \"\(model)\"", "\"ranks\": \(comm.size)", "\"threads_per_rank\": \(threads)",
            "\"data\": \"\(origin)\"", "\"rows\": \(train.count)", "\"global_batch\": \(batch)", "\"epochs\": \(epochs)",
            "\"samples_per_s\": \(fmt(logs.last?["samples_per_s"] ?? .nan))", "\"train_loss\": \(fmt(logs.last?["loss"] ?? .nan))",
            "\"test_accuracy\": \(fmt(acc))", "\"rank0_cpu_s\": \(fmt(cpu))", "\"steps\": \(losses.count)",
        ]
        if reference {
            let ref = build()
            var refLosses: [Double] = []
            let start = Date()
            let cpuR = cpuSeconds()
            try fit(ref, optimizer: Optimizer(ref, sgd(learningRate: .constant(lr))), data: train, epochs: epochs,
                    batchSize: batch, callbacks: [BatchLossRecorder { refLosses.append($0) }], seed: 3, prefetch: 0)
            let refSeconds = Date().timeIntervalSince(start)
            let refAcc = evaluate(ref, data: test, batchSize: 500).accuracy ?? .nan
            var worst = 0.0
            for (a, b) in zip(losses, refLosses) { worst = max(worst, abs(a - b) / max(abs(b), 1e-12)) }
            fields += ["\"reference_test_accuracy\": \(fmt(refAcc))", "\"accuracy_diff_pt\": \(fmt(abs(acc - refAcc) * 100))",
                       "\"max_rel_loss_diff\": \(String(format: "%.3e", worst))", "\"reference_steps\": \(refLosses.count)",
                       "\"reference_samples_per_s\": \(fmt(Double(train.count * epochs) / refSeconds))",
                       "\"reference_cpu_s\": \(fmt(cpuSeconds() - cpuR))"]
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// Gradients of one batch through a pipeline of `size` stages vs the whole model on rank 0.
    func pipeline(_ comm: any Communicator, _ train: InMemoryDataset) throws -> String {
        let net = build()
        let n = net.layers.count
        let cuts = (1..<comm.size).map { $0 * n / comm.size }
        let stage = PipelineStage(model: net, cuts: cuts, communicator: comm)
        let rows = Array(0..<min(batch, train.count))
        let b = train.gather(rows)
        let x = Tensor(shape: b.shape, scalars: b.features)
        let loss = stage.forwardBackward(input: comm.rank == 0 ? x : nil, labels: b.labels, microBatches: microBatches)
        // Reference: the whole model, same seed, one pass over the whole batch.
        let ref = build()
        let l = crossEntropyLoss(ref(x), b.labels)
        l.backward()
        let refGrads = Dictionary(uniqueKeysWithValues: ref.namedParameters.map { ($0.0, $0.1.grad!) })
        var worst = 0.0
        for (name, p) in stage.namedParameters {
            let g = p.grad!, r = refGrads[name]!
            let scale = Double(r.withUnsafeBufferPointer { $0.map { abs($0) }.max() ?? 0 })
            g.withUnsafeBufferPointer { a in
                r.withUnsafeBufferPointer { c in
                    for i in a.indices { worst = max(worst, Double(abs(a[i] - c[i])) / max(scale, 1e-12)) }
                }
            }
        }
        let all = comm.allreduceSum([worst, loss.map { abs($0 - Double(l.scalar)) } ?? 0])
        guard comm.rank == 0 else { return "" }
        return "{\"bench\": \"distributed-pipeline\", \"model\": \"\(model)\", \"ranks\": \(comm.size), \"cuts\": \(cuts), "
            + "\"micro_batches\": \(microBatches), \"batch\": \(rows.count), "
            + "\"max_rel_grad_diff\": \(String(format: "%.3e", all[0])), \"loss_diff\": \(String(format: "%.3e", all[1]))}"
    }

    private func fmt(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "null" }
}

/// Records the loss of every training batch.
final class BatchLossRecorder: Callback {
    let record: (Double) -> Void
    init(_ record: @escaping (Double) -> Void) { self.record = record }
    func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws { record(loss) }
}
