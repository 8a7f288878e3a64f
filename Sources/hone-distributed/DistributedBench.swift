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
    @Option(help: "adam (issue 3's reference optimizer) or sgd.") var optimizer = "adam"
    @Option(help: "Learning rate (default 1e-3 for adam, 0.05 for sgd).") var lr: Double?
    @Option(help: "Floats per gradient bucket.") var bucketFloats = 1 << 18
    @Option(help: "on: all-reduce during backward; off: after backward; compare: time both (alternating, --repeats times) and check they give the same bits.")
    var overlap = "on"
    @Option(help: "Repetitions for --overlap compare.") var repeats = 3
    @Option(help: "Micro-batches (pipeline mode).") var microBatches = 4
    @Option(help: "Directory with the Fashion-MNIST IDX files (default: Debian's, else the bundled subset).")
    var data = FashionMNIST.debianDirectory
    @Flag(help: "Also train single-process on rank 0 and compare.") var reference = false
    @Flag(help: "With --reference: also train plain `fit` from weights nudged by one ulp (an output-layer bias) and report how far that moves the loss curve and accuracy.")
    var noiseFloor = false
    @Option(help: "Runs for --noise-floor (run k nudges output bias k).") var noiseFloorRuns = 1

    func validate() throws {
        guard ["data", "pipeline"].contains(mode) else { throw ValidationError("--mode: expected data or pipeline, got '\(mode)'") }
        guard ["mlp", "cnn"].contains(model) else { throw ValidationError("--model: expected mlp or cnn, got '\(model)'") }
        guard ["adam", "sgd"].contains(optimizer) else { throw ValidationError("--optimizer: expected adam or sgd, got '\(optimizer)'") }
        guard ["on", "off", "compare"].contains(overlap) else { throw ValidationError("--overlap: expected on, off or compare, got '\(overlap)'") }
        guard bucketFloats >= 1, repeats >= 1 else { throw ValidationError("--bucket-floats and --repeats must be ≥ 1") }
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

    func makeOptimizer(_ net: any Module) -> Optimizer {
        optimizer == "adam" ? Optimizer(net, adam(learningRate: .constant(lr ?? 1e-3)))
                            : Optimizer(net, sgd(learningRate: .constant(lr ?? 0.05)))
    }

    func options() -> DataParallelOptions {
        var o = DataParallelOptions(epochs: epochs, globalBatchSize: batch, seed: 3)
        o.bucketCapacity = bucketFloats
        o.overlapBackward = overlap != "off"
        return o
    }

    func run() throws {
        Compute.threadCount = threads
        let (train, test, origin) = try loadData()
        let job: @Sendable (any Communicator) throws -> String = { [self] comm in
            mode == "pipeline" ? try pipeline(comm, train)
                : overlap == "compare" ? try compareOverlap(comm, train) : try dataParallel(comm, train, test, origin)
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
        let trainer = DataParallelTrainer(model: net, optimizer: makeOptimizer(net), communicator: comm)
        var losses: [Double] = []
        comm.barrier()
        let cpu0 = cpuSeconds()
        let logs = try trainer.fit(train, options(), onBatch: { _, l in losses.append(l) })
        let cpu = cpuSeconds() - cpu0
        guard comm.rank == 0 else { return "" }
        let acc = evaluate(net, data: test, batchSize: 500).accuracy ?? .nan
        var fields: [String] = [
            "\"bench\": \"distributed-data\"", "\"model\": \"\(model)\"", "\"ranks\": \(comm.size)", "\"threads_per_rank\": \(threads)",
            "\"data\": \"\(origin)\"", "\"rows\": \(train.count)", "\"global_batch\": \(batch)", "\"epochs\": \(epochs)",
            "\"optimizer\": \"\(optimizer)\"", "\"lr\": \(lr ?? (optimizer == "adam" ? 1e-3 : 0.05))", "\"overlap\": \"\(overlap)\"",
            "\"samples_per_s\": \(fmt(logs.last?["samples_per_s"] ?? .nan))", "\"train_loss\": \(fmt(logs.last?["loss"] ?? .nan))",
            "\"test_accuracy\": \(fmt(acc))", "\"rank0_cpu_s\": \(fmt(cpu))", "\"steps\": \(losses.count)",
        ]
        if reference {
            // 1. Plain single-process training on whole batches (HoneTrain's `fit`).
            let ref = build()
            var refLosses: [Double] = []
            let start = Date()
            let cpuR = cpuSeconds()
            try fit(ref, optimizer: makeOptimizer(ref), data: train, epochs: epochs,
                    batchSize: batch, callbacks: [BatchLossRecorder { refLosses.append($0) }], seed: 3, prefetch: 0)
            let refSeconds = Date().timeIntervalSince(start)
            let refCPU = cpuSeconds() - cpuR
            let refAcc = evaluate(ref, data: test, batchSize: 500).accuracy ?? .nan
            let (worst, worstStep) = maxRelative(losses, refLosses)
            // 2. The same global batches computed as the ranks compute them (per-shard gradients
            //    summed in rank order).
            let sharded = build()
            var shardLosses: [Double] = []
            try ShardAccumulatingReference.fit(sharded, optimizer: makeOptimizer(sharded), data: train, options: options(),
                                               ranks: comm.size, onBatch: { _, l in shardLosses.append(l) })
            let shardAcc = evaluate(sharded, data: test, batchSize: 500).accuracy ?? .nan
            let (shardWorst, _) = maxRelative(losses, shardLosses)
            let identical = zip(losses, shardLosses).filter { $0 == $1 }.count
            fields += ["\"reference_test_accuracy\": \(fmt(refAcc))", "\"accuracy_diff_pt\": \(fmt(abs(acc - refAcc) * 100))",
                       "\"max_rel_loss_diff\": \(sci(worst))", "\"max_rel_loss_diff_step\": \(worstStep)",
                       "\"rel_loss_diff_at_steps\": {\(driftProfile(losses, refLosses))}",
                       "\"first_batch_rel_grad_diff\": \(sci(firstBatchGradientSplitDifference(train, ranks: comm.size)))",
                       "\"reference_steps\": \(refLosses.count)",
                       "\"reference_samples_per_s\": \(fmt(Double(train.count * epochs) / refSeconds))",
                       "\"reference_cpu_s\": \(fmt(refCPU))",
                       "\"sharded_max_rel_loss_diff\": \(sci(shardWorst))", "\"sharded_identical_steps\": \(identical)",
                       "\"sharded_steps\": \(shardLosses.count)",
                       "\"sharded_max_abs_param_diff\": \(sci(maxAbsDifference(net, sharded)))",
                       "\"sharded_test_accuracy\": \(fmt(shardAcc))", "\"sharded_accuracy_diff_pt\": \(fmt(abs(acc - shardAcc) * 100))"]
            if noiseFloor {
                // Plain `fit` again, from initial weights that differ in one ulp of one weight
                // (output bias k, which every example uses; one run per k): how far float
                // rounding alone moves the curve and the accuracy.
                var drifts: [Double] = [], shifts: [Double] = []
                for k in 0..<noiseFloorRuns {
                    let nudged = build()
                    let (_, bias) = nudged.trainableParameters[nudged.trainableParameters.count - 1]
                    var values = bias.value.withUnsafeBufferPointer { Array($0) }
                    values[k % values.count] = values[k % values.count].nextUp
                    bias.value = Tensor(shape: bias.shape, scalars: values)
                    var nudgedLosses: [Double] = []
                    try fit(nudged, optimizer: makeOptimizer(nudged), data: train, epochs: epochs,
                            batchSize: batch, callbacks: [BatchLossRecorder { nudgedLosses.append($0) }], seed: 3, prefetch: 0)
                    let nudgedAcc = evaluate(nudged, data: test, batchSize: 500).accuracy ?? .nan
                    drifts.append(maxRelative(nudgedLosses, refLosses).0)
                    shifts.append(abs(nudgedAcc - refAcc) * 100)
                }
                fields += ["\"ulp_nudged_max_rel_loss_diff\": [\(drifts.map(sci).joined(separator: ", "))]",
                           "\"ulp_nudged_accuracy_diff_pt\": [\(shifts.map(fmt).joined(separator: ", "))]"]
            }
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// Trains the same model data-parallel with the all-reduce overlapped with backward and
    /// without, alternating, `repeats` times each; reports the median wall and rank-0 CPU
    /// seconds per mode and whether both modes ended with the same bits.
    func compareOverlap(_ comm: any Communicator, _ train: InMemoryDataset) throws -> String {
        var wall: [Bool: [Double]] = [true: [], false: []], cpu: [Bool: [Double]] = [true: [], false: []]
        var finals: [Bool: [String: [Float]]] = [:]
        var buckets = 0
        for _ in 0..<repeats {
            for on in [true, false] {
                let net = build()
                let trainer = DataParallelTrainer(model: net, optimizer: makeOptimizer(net), communicator: comm)
                var o = options(); o.overlapBackward = on
                buckets = GradientReducer(model: net, communicator: comm, bucketCapacity: bucketFloats).bucketCount
                comm.barrier()
                let c0 = cpuSeconds(), t0 = Date()
                try trainer.fit(train, o)
                wall[on]!.append(Date().timeIntervalSince(t0)); cpu[on]!.append(cpuSeconds() - c0)
                finals[on] = Dictionary(uniqueKeysWithValues: net.namedParameters.map {
                    ($0.0, $0.1.value.withUnsafeBufferPointer { Array($0) })
                })
            }
        }
        guard comm.rank == 0 else { return "" }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        return "{\"bench\": \"distributed-overlap\", \"model\": \"\(model)\", \"ranks\": \(comm.size), \"rows\": \(train.count), "
            + "\"global_batch\": \(batch), \"bucket_floats\": \(bucketFloats), \"buckets\": \(buckets), \"repeats\": \(repeats), "
            + "\"overlap_wall_s\": \(fmt(median(wall[true]!))), \"no_overlap_wall_s\": \(fmt(median(wall[false]!))), "
            + "\"overlap_rank0_cpu_s\": \(fmt(median(cpu[true]!))), \"no_overlap_rank0_cpu_s\": \(fmt(median(cpu[false]!))), "
            + "\"identical_bits\": \(finals[true]! == finals[false]!)}"
    }

    /// The first global batch's gradient at the initial weights, computed once over the whole
    /// batch and once as the sum of `ranks` per-shard gradients (weighted n_r/n): the largest
    /// difference relative to each tensor's largest gradient, i.e. the rounding that splitting
    /// a batch introduces before training amplifies it.
    func firstBatchGradientSplitDifference(_ train: InMemoryDataset, ranks: Int) -> Double {
        let rows = Array(DataLoader(dataset: train, batchSize: batch, shuffle: true, seed: 3, prefetch: 0).order(epoch: 0).prefix(batch))
        let whole = build()
        let b = train.gather(rows)
        crossEntropyLoss(whole(Tensor(shape: b.shape, scalars: b.features)), b.labels).backward()
        let split = build()
        var sums: [String: [Float]] = [:]
        for r in 0..<ranks {
            let mine = Array(rows[(r * rows.count / ranks)..<((r + 1) * rows.count / ranks)])
            let sb = train.gather(mine)
            for (_, p) in split.namedParameters { p.zeroGrad() }
            crossEntropyLoss(split(Tensor(shape: sb.shape, scalars: sb.features)), sb.labels).backward()
            let w = Float(mine.count) / Float(rows.count)
            for (name, p) in split.namedParameters {
                let g = p.grad!.withUnsafeBufferPointer { $0.map { $0 * w } }
                sums[name] = sums[name].map { zip($0, g).map { $0 + $1 } } ?? g
            }
        }
        var worst = 0.0
        for (name, p) in whole.namedParameters {
            let a = p.grad!.withUnsafeBufferPointer { Array($0) }, c = sums[name]!
            let scale = Double(a.map { abs($0) }.max() ?? 0)
            for (x, y) in zip(a, c) { worst = max(worst, Double(abs(x - y)) / max(scale, 1e-30)) }
        }
        return worst
    }

    /// Largest relative difference and the step (0-based) where it occurs.
    private func maxRelative(_ a: [Double], _ b: [Double]) -> (Double, Int) {
        var worst = 0.0, at = 0
        for (i, (x, y)) in zip(a, b).enumerated() {
            let d = abs(x - y) / max(abs(y), 1e-12)
            if d > worst { worst = d; at = i }
        }
        return (worst, at)
    }

    /// The largest relative loss difference up to steps 1, 2, 4, 8, … and the last step.
    private func driftProfile(_ a: [Double], _ b: [Double]) -> String {
        let n = min(a.count, b.count)
        var marks: [Int] = []
        var k = 1
        while k < n { marks.append(k); k *= 2 }
        if n > 0 { marks.append(n) }
        return marks.map { m in "\"\(m)\": \(sci(maxRelative(Array(a.prefix(m)), Array(b.prefix(m))).0))" }.joined(separator: ", ")
    }

    private func maxAbsDifference(_ a: any Module, _ b: any Module) -> Double {
        let other = Dictionary(uniqueKeysWithValues: b.namedParameters.map { ($0.0, $0.1.value.withUnsafeBufferPointer { Array($0) }) })
        var worst = 0.0
        for (name, p) in a.namedParameters {
            guard let o = other[name] else { return .infinity }
            p.value.withUnsafeBufferPointer { v in for (x, y) in zip(v, o) { worst = max(worst, Double(abs(x - y))) } }
        }
        return worst
    }

    private func sci(_ v: Double) -> String { v.isFinite ? String(format: "%.3e", v) : "null" }

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
