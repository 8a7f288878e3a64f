import Foundation
import HoneData
import HoneNN
import HoneTensor
import HoneTrain

/// Settings of a data-parallel run.
public struct DataParallelOptions: Sendable {
    public var epochs: Int
    /// Rows per optimizer step over all ranks together (the single-process batch size).
    public var globalBatchSize: Int
    /// Shuffling seed: every rank draws the same global order, so the run equals a
    /// single-process `fit` with the same seed and batch size.
    public var seed: UInt64 = 0
    public var shuffle = true
    /// Floats per gradient bucket (default 256 Ki floats = 1 MiB, the size of PyTorch DDP's
    /// first bucket). Backward overlap needs a model that spans several buckets: for one with
    /// less than 1 MiB of gradients (the reference CNN has 0.9 MB) use ~64 Ki floats; with
    /// many ranks, larger buckets pay the all-reduce latency fewer times.
    public var bucketCapacity = 1 << 18
    /// Start each bucket's all-reduce during the backward pass, as soon as its gradients are
    /// final (``GradientReducer/backward(_:weight:)``); false: all-reduce after backward. Both
    /// give the same bits.
    public var overlapBackward = true
    /// Where rank 0 writes the checkpoint after every epoch (see ``TrainingCheckpoint``): the
    /// model (safetensors, finished epoch in metadata `hone.epoch`) and, next to it, the
    /// optimizer state; nil for no checkpoints.
    public var checkpoint: URL?
    /// Start from `checkpoint` if it exists: weights, BatchNorm statistics and the optimizer
    /// state (moments, step counts) are restored, and training continues with the next epoch and
    /// that epoch's data order, giving the same bits as an uninterrupted run. A checkpoint
    /// without an optimizer file (weights only) restarts the optimizer from zero.
    public var resume = false

    public init(epochs: Int, globalBatchSize: Int, seed: UInt64 = 0) {
        self.epochs = epochs; self.globalBatchSize = globalBatchSize; self.seed = seed
    }
}

/// Data-parallel training (the Horovod/DDP scheme): every rank holds a replica of the model,
/// computes the loss and gradients on its shard of each global batch, and the gradients are
/// averaged with an all-reduce before every rank applies the same optimizer step.
///
/// - Sharding: all ranks draw the same shuffled order (`DataLoader.order(epoch:)`); global batch
///   `b` is rows `[bB, (b+1)B)` of it, and rank `r` of `N` loads only rows
///   `[r·n/N, (r+1)·n/N)` of that batch (n = the batch's size).
/// - Gradients: rank `r` weights its mean-loss gradient by `n_r / n` before the all-reduce, so
///   the sum is exactly the gradient of the global batch's mean loss (see ``GradientReducer``).
///   Losses and accuracies are all-reduced the same way. Hence N ranks follow the single-process
///   loss curve up to float rounding (the sum over a batch is split in N parts).
/// - Start: rank 0's weights are broadcast, so replicas start identical whatever their seeds.
/// - BatchNorm: each rank normalizes with its own shard's batch statistics (as DDP without
///   SyncBatchNorm; with shards of ≥ 32 rows the difference is small); the running statistics
///   are averaged over ranks after every epoch, so all replicas and the checkpoint agree.
/// - Augmentation is not applied (it is defined per global batch); dropout masks come from
///   each rank's own layers.
///
/// ```swift
/// let logs = try InProcessGroup.run(size: 2) { comm in
///     let model = Models.mlp(seed: 1)
///     let trainer = DataParallelTrainer(model: model, optimizer: Optimizer(model, sgd(learningRate: 0.1)),
///                                       communicator: comm)
///     return try trainer.fit(train, DataParallelOptions(epochs: 1, globalBatchSize: 128))
/// }
/// ```
public final class DataParallelTrainer {
    public let model: any Layer
    public let optimizer: Optimizer
    public let loss: LossFunction
    public let communicator: any Communicator

    public init(model: any Layer, optimizer: Optimizer, loss: @escaping LossFunction = crossEntropyLoss,
                communicator: any Communicator) {
        self.model = model; self.optimizer = optimizer; self.loss = loss; self.communicator = communicator
    }

    /// Trains and returns one log per epoch run (identical on every rank): `loss`, `accuracy`
    /// (over the global batches), `samples_per_s` (all ranks together), `seconds`.
    /// `epochWillBegin(epoch)` runs on every rank before each epoch (set
    /// `optimizer.learningRateScale` there for a schedule); `onBatch(batch, globalLoss)` after
    /// each step; `epochDidEnd(log)` after each epoch (rank 0 may print it).
    @discardableResult
    public func fit<D: Dataset>(_ data: D, _ options: DataParallelOptions,
                                epochWillBegin: ((Int) -> Void)? = nil,
                                epochDidEnd: ((EpochLog) -> Void)? = nil,
                                onBatch: ((Int, Double) -> Void)? = nil) throws -> [EpochLog] {
        guard options.epochs >= 1 else { throw TrainingError.invalidArgument(name: "epochs", reason: "must be ≥ 1, got \(options.epochs)") }
        guard options.globalBatchSize >= communicator.size else {
            throw TrainingError.invalidArgument(name: "globalBatchSize",
                                                reason: "must be ≥ the number of ranks (\(communicator.size)), got \(options.globalBatchSize)")
        }
        let comm = communicator
        var firstEpoch = 1
        if options.resume, let url = options.checkpoint {
            firstEpoch = try restore(from: url) + 1
        }
        ModelSync.broadcastState(of: model, from: 0, over: comm)
        let reducer = GradientReducer(model: model, communicator: comm, bucketCapacity: options.bucketCapacity)
        let loader = DataLoader(dataset: data, batchSize: options.globalBatchSize, shuffle: options.shuffle,
                                seed: options.seed, prefetch: 0)
        let wasTraining = model.isTraining
        defer { model.setTraining(wasTraining) }
        var history: [EpochLog] = []
        if firstEpoch > options.epochs { return history }
        for epoch in firstEpoch...options.epochs {
            model.setTraining(true)
            epochWillBegin?(epoch)
            let order = loader.order(epoch: epoch - 1)
            let clock = ContinuousClock(), start = clock.now
            var lossSum = 0.0, correct = 0.0, scored = 0.0, seen = 0.0
            for b in 0..<loader.batchesPerEpoch {
                let (mine, n) = Self.shard(order, batch: b, globalBatchSize: options.globalBatchSize,
                                           rank: comm.rank, size: comm.size)
                var stats = [0.0, 0.0, 0.0]   // Σ loss·rows, correct, scored rows
                let weight = Float(mine.count) / Float(n)
                if !mine.isEmpty {
                    let batch = data.gather(mine)
                    let x = Tensor(shape: batch.shape, scalars: batch.features)
                    let output = model(x)
                    let l = loss(output, batch.labels)
                    if options.overlapBackward {
                        reducer.backward(l, weight: weight)
                    } else {
                        l.backward()
                        reducer.reduce(weight: weight)
                    }
                    stats[0] = Double(l.scalar) * Double(mine.count)
                    if let c = Self.countCorrect(output, batch.labels) { stats[1] = Double(c); stats[2] = Double(mine.count) }
                } else {
                    reducer.reduce(weight: weight)
                }
                stats = comm.allreduceSum(stats)
                optimizer.step()
                lossSum += stats[0]; correct += stats[1]; scored += stats[2]; seen += Double(n)
                onBatch?(b, stats[0] / Double(n))
            }
            let seconds = (clock.now - start).seconds
            ModelSync.averageBuffers(of: model, over: comm)
            let log = EpochLog.summing(epoch: epoch, lossSum: lossSum, correct: correct, scored: scored,
                                       seen: seen, seconds: seconds)
            history.append(log)
            epochDidEnd?(log)
            if let url = options.checkpoint {
                // Rank 0 writes; a failure there is shared so that every rank stops.
                var failure: (any Error)?
                if comm.rank == 0 {
                    do { try TrainingCheckpoint.save(model: model, optimizer: optimizer, epoch: epoch, ranks: comm.size, to: url) }
                    catch { failure = error }
                }
                let failed = comm.allreduceSum([failure == nil ? 0 : 1])[0]
                if let failure { throw failure }
                if failed > 0 {
                    throw TrainingError.invalidArgument(name: "checkpoint", reason: "rank 0 could not write \(url.path)")
                }
            }
        }
        return history
    }

    /// Rank 0 loads the checkpoint (if present) and every rank learns its epoch; weights reach
    /// the other ranks through the broadcast that follows, the optimizer state is broadcast
    /// here. Returns the finished epoch (0 if none).
    private func restore(from url: URL) throws -> Int {
        let comm = communicator
        var failure: (any Error)?
        var optimizerState: OptimizerState?
        // [epoch, has optimizer state, step count, per-parameter step counts…]; -1: failure.
        var header = [Double](repeating: 0, count: 3 + optimizer.parameters.count)
        if comm.rank == 0, FileManager.default.fileExists(atPath: url.path) {
            do {
                let file = try SafeTensors.read(from: url)
                try ModelFile.loadWeights(into: model, from: url)
                let epoch = file.metadata["hone.epoch"].flatMap(Int.init) ?? 0
                header[0] = Double(epoch)
                if let state = try TrainingCheckpoint.readOptimizerState(for: url, epoch: epoch) {
                    try optimizer.restore(state)      // validates it against this optimizer
                    optimizerState = state
                    header[1] = 1; header[2] = Double(state.step)
                    for (i, s) in state.parameterSteps.enumerated() { header[3 + i] = Double(s) }
                }
            } catch { failure = error; header[0] = -1 }
        }
        header = comm.allreduceSum(header)
        if let failure { throw failure }
        if header[0] < 0 {
            throw TrainingError.invalidArgument(name: "checkpoint", reason: "rank 0 could not read \(url.path)")
        }
        if header[1] > 0 {
            // Every rank builds the same optimizer, so the array keys and sizes agree.
            var state = optimizerState ?? optimizer.state()
            for key in state.arrays.keys.sorted() {
                state.arrays[key]!.withUnsafeMutableBufferPointer { comm.broadcast($0, root: 0) }
            }
            state.step = Int(header[2])
            state.parameterSteps = header[3...].map { Int($0) }
            if comm.rank != 0 { try optimizer.restore(state) }
        }
        return Int(header[0])
    }

    /// Rank `rank`'s rows of global batch `b` (of `order`), and the batch's size `n`.
    static func shard(_ order: [Int], batch b: Int, globalBatchSize: Int, rank: Int, size: Int) -> ([Int], Int) {
        let lo = b * globalBatchSize, hi = min(lo + globalBatchSize, order.count)
        let n = hi - lo
        return (Array(order[(lo + rank * n / size)..<(lo + (rank + 1) * n / size)]), n)
    }

    static func countCorrect(_ output: Tensor, _ labels: [Int32]) -> Int? {
        guard output.rank == 2, output.shape[0] == labels.count, output.shape[1] > 1 else { return nil }
        let cols = output.shape[1]
        return output.withUnsafeBufferPointer { p in
            var correct = 0
            for (r, label) in labels.enumerated() {
                var best = 0
                for c in 1..<cols where p[r * cols + c] > p[r * cols + best] { best = c }
                if best == Int(label) { correct += 1 }
            }
            return correct
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
