import HoneRandom

/// Turns a dataset into batches for one epoch at a time: seeded shuffling (a fresh permutation
/// per epoch from stream `epoch` of `seed`), a batch size, optional drop-last, optional seeded
/// augmentation, and a bounded background prefetch so the next batch is ready when training asks.
///
/// The order and contents depend only on `seed`, `epoch` and the settings — never on timing or
/// on the prefetch depth.
///
/// ```swift
/// let loader = DataLoader(dataset: train, batchSize: 128, shuffle: true, seed: 42, prefetch: 2)
/// for epoch in 0..<10 {
///     for batch in loader.batches(epoch: epoch) {
///         // batch.features: [Float] of shape batch.shape = [128, 28, 28]; batch.labels: [Int32]
///     }
/// }
/// ```
public struct DataLoader<Source: Dataset>: Sendable {
    public let dataset: Source
    public let batchSize: Int
    public let shuffle: Bool
    /// Drop the last batch when it has fewer than `batchSize` examples.
    public let dropLast: Bool
    public let seed: UInt64
    /// How many batches a background thread prepares ahead (0: build each batch on demand).
    public let prefetch: Int
    /// Per-example random augmentation applied to every batch (nil: none).
    public let augmentation: AugmentationPipeline?

    public init(dataset: Source, batchSize: Int, shuffle: Bool = true, dropLast: Bool = false,
                seed: UInt64 = 0, prefetch: Int = 1, augmentation: AugmentationPipeline? = nil) {
        precondition(batchSize > 0, "DataLoader.init: batchSize must be positive, got \(batchSize)")
        precondition(prefetch >= 0, "DataLoader.init: prefetch must be ≥ 0, got \(prefetch)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.prefetch = prefetch
        self.augmentation = augmentation
    }

    /// Number of batches in one epoch.
    public var batchesPerEpoch: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The dataset indices of epoch `epoch`, in the order they are served.
    public func order(epoch: Int) -> [Int] {
        var indices = Array(0..<dataset.count)
        if shuffle {
            var generator = SeededGenerator(seed: seed, stream: UInt64(epoch) &+ 1)
            generator.shuffle(&indices)
        }
        if dropLast { indices.removeLast(dataset.count % batchSize) }
        return indices
    }

    /// Batch `number` of epoch `epoch` with the given order (built on the calling thread).
    func makeBatch(_ number: Int, order: [Int], epoch: Int) -> Batch {
        let start = number * batchSize
        let indices = Array(order[start..<min(start + batchSize, order.count)])
        var batch = dataset.gather(indices)
        augmentation?.apply(to: &batch, seed: seed, epoch: epoch)
        return batch
    }

    /// The batches of epoch `epoch`. With `prefetch > 0` iterating starts a background thread that
    /// stays at most `prefetch` batches ahead; it stops when iteration ends, when the iterator is
    /// released, or on `cancel()`.
    public func batches(epoch: Int) -> EpochBatches<Source> { EpochBatches(loader: self, epoch: epoch) }
}

/// One epoch of a `DataLoader`, as a `Sequence` of `Batch`.
public struct EpochBatches<Source: Dataset>: Sequence, Sendable {
    public let loader: DataLoader<Source>
    public let epoch: Int

    public var underestimatedCount: Int { loader.batchesPerEpoch }

    public func makeIterator() -> BatchIterator<Source> { BatchIterator(loader: loader, epoch: epoch) }
}
