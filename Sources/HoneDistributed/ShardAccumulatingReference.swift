import HoneData
import HoneNN
import HoneTensor
import HoneTrain

/// Single-process training that computes every global batch the way `ranks` data-parallel
/// ranks do: the reference that ``DataParallelTrainer`` must equal bit for bit (or to ~1e-7).
///
/// Plain single-process training (`fit`) computes a batch's gradient as one sum over all its
/// rows inside the GEMMs. `N` ranks split that sum into `N` partial sums and add them in the
/// all-reduce. Float addition is not associative, so the two differ in the last bits (~1e-7
/// relative), and training amplifies such differences step by step (the "butterfly" growth of
/// rounding noise in SGD). This reference removes that one difference: for every global batch
/// it runs forward and backward on each rank's shard in turn (gradient accumulation over the
/// same shards as ``DataParallelTrainer``), weights shard `r`'s gradient by `n_r / n` exactly
/// as ``GradientReducer`` packs it, and adds the weighted gradients in rank order (the order
/// ``InProcessCommunicator`` sums in; with 2 ranks any all-reduce gives the same bits, since
/// `a + b == b + a`). Losses and accuracies are combined in Double, also in rank order.
///
/// The same limits as the trainer apply: no augmentation; BatchNorm normalizes per shard, but
/// its running statistics are updated by each shard in turn (not averaged over ranks), and
/// dropout draws its masks from this one model, so networks with BatchNorm or dropout match
/// the trainer's loss only approximately.
///
/// ```swift
/// let ref = Models.cnn(seed: 7)
/// let logs = try ShardAccumulatingReference.fit(ref, optimizer: Optimizer(ref, adam()), data: train,
///                                               options: DataParallelOptions(epochs: 1, globalBatchSize: 128),
///                                               ranks: 2)
/// ```
public enum ShardAccumulatingReference {
    /// Trains `model` for `options.epochs` epochs (from epoch 1; checkpoints are ignored) and
    /// returns one log per epoch with `loss`, `accuracy`, `samples_per_s` and `seconds`.
    /// `onBatch(batch, globalLoss)` runs after every step.
    @discardableResult
    public static func fit<D: Dataset>(_ model: any Layer, optimizer: Optimizer, loss: LossFunction = crossEntropyLoss,
                                       data: D, options: DataParallelOptions, ranks: Int,
                                       onBatch: ((Int, Double) -> Void)? = nil) throws -> [EpochLog] {
        guard ranks >= 1 else { throw TrainingError.invalidArgument(name: "ranks", reason: "must be ≥ 1, got \(ranks)") }
        guard options.epochs >= 1 else { throw TrainingError.invalidArgument(name: "epochs", reason: "must be ≥ 1, got \(options.epochs)") }
        guard options.globalBatchSize >= ranks else {
            throw TrainingError.invalidArgument(name: "globalBatchSize", reason: "must be ≥ ranks (\(ranks)), got \(options.globalBatchSize)")
        }
        let params = model.trainableParameters.map(\.1)
        let loader = DataLoader(dataset: data, batchSize: options.globalBatchSize, shuffle: options.shuffle,
                                seed: options.seed, prefetch: 0)
        let wasTraining = model.isTraining
        defer { model.setTraining(wasTraining) }
        var sums = params.map { [Float](repeating: 0, count: $0.count) }
        var history: [EpochLog] = []
        for epoch in 1...options.epochs {
            model.setTraining(true)
            let order = loader.order(epoch: epoch - 1)
            let clock = ContinuousClock(), start = clock.now
            var lossSum = 0.0, correct = 0.0, scored = 0.0, seen = 0.0
            for b in 0..<loader.batchesPerEpoch {
                var stats = [0.0, 0.0, 0.0]
                var n = 0
                for r in 0..<ranks {
                    let (mine, size) = DataParallelTrainer.shard(order, batch: b, globalBatchSize: options.globalBatchSize,
                                                                 rank: r, size: ranks)
                    n = size
                    for p in params { p.zeroGrad() }
                    var shardStats = [0.0, 0.0, 0.0]
                    if !mine.isEmpty {
                        let batch = data.gather(mine)
                        let x = Tensor(shape: batch.shape, scalars: batch.features)
                        let output = model(x)
                        let l = loss(output, batch.labels)
                        l.backward()
                        shardStats[0] = Double(l.scalar) * Double(mine.count)
                        if let c = DataParallelTrainer.countCorrect(output, batch.labels) {
                            shardStats[1] = Double(c); shardStats[2] = Double(mine.count)
                        }
                    }
                    let weight = Float(mine.count) / Float(size)
                    for (k, p) in params.enumerated() {
                        addWeighted(p.grad, weight: weight, into: &sums[k], first: r == 0)
                    }
                    for k in 0..<3 { stats[k] = r == 0 ? shardStats[k] : stats[k] + shardStats[k] }
                }
                for (k, p) in params.enumerated() { p.value.grad = Tensor(shape: p.shape, scalars: sums[k]) }
                optimizer.step()
                lossSum += stats[0]; correct += stats[1]; scored += stats[2]; seen += Double(n)
                onBatch?(b, stats[0] / Double(n))
            }
            let seconds = (clock.now - start).seconds
            let log = EpochLog.summing(epoch: epoch, lossSum: lossSum, correct: correct, scored: scored,
                                       seen: seen, seconds: seconds)
            history.append(log)
        }
        return history
    }

    /// `sum ← fl(g·w)` for the first shard, else `sum ← sum + fl(g·w)`: the all-reduce's
    /// operations on the packed values, element by element. A missing gradient counts as zeros.
    private static func addWeighted(_ grad: Tensor?, weight: Float, into sum: inout [Float], first: Bool) {
        sum.withUnsafeMutableBufferPointer { s in
            guard let grad else {
                if first { s.update(repeating: 0) }
                return
            }
            grad.withUnsafeBufferPointer { g in
                if first {
                    for i in s.indices { s[i] = g[i] * weight }
                } else {
                    for i in s.indices { s[i] += g[i] * weight }
                }
            }
        }
    }
}
