import Foundation

/// Iterates the batches of one epoch, optionally prepared ahead by a background thread.
///
/// The producer thread fills a queue bounded by the loader's `prefetch`; releasing the iterator or
/// calling `cancel()` stops it (it finishes at most the batch it is building).
///
/// ```swift
/// let iterator = loader.batches(epoch: 0).makeIterator()
/// let first = iterator.next()
/// iterator.cancel()     // e.g. early stopping in the middle of an epoch
/// ```
public final class BatchIterator<Source: Dataset>: IteratorProtocol {
    private let loader: DataLoader<Source>
    private let epoch: Int
    private let order: [Int]
    private let total: Int
    private var served = 0
    private var queue: PrefetchQueue?

    init(loader: DataLoader<Source>, epoch: Int) {
        self.loader = loader
        self.epoch = epoch
        self.order = loader.order(epoch: epoch)
        self.total = loader.batchesPerEpoch
    }

    deinit { queue?.cancel() }

    public func next() -> Batch? {
        guard served < total else { return nil }
        if loader.prefetch == 0 {
            defer { served += 1 }
            return loader.makeBatch(served, order: order, epoch: epoch)
        }
        if queue == nil { queue = startProducer() }
        guard let batch = queue!.take() else { return nil }
        served += 1
        return batch
    }

    /// Stops the background producer; `next()` returns nil afterwards.
    public func cancel() {
        served = total
        queue?.cancel()
    }

    private func startProducer() -> PrefetchQueue {
        let queue = PrefetchQueue(capacity: loader.prefetch)
        let loader = self.loader, order = self.order, epoch = self.epoch, total = self.total
        let thread = Thread {
            for number in 0..<total {
                if queue.isCancelled { break }
                let batch = loader.makeBatch(number, order: order, epoch: epoch)
                if !queue.put(batch) { break }
            }
        }
        thread.name = "hone.data.prefetch"
        thread.start()
        return queue
    }
}

/// A bounded, cancellable single-producer single-consumer queue of batches.
final class PrefetchQueue: @unchecked Sendable {
    // All state is guarded by `condition`.
    private let condition = NSCondition()
    private var items: [Batch] = []
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var isCancelled: Bool {
        condition.lock(); defer { condition.unlock() }
        return cancelled
    }

    /// Blocks while the queue is full; false when the queue was cancelled.
    func put(_ batch: Batch) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(batch)
        condition.broadcast()
        return true
    }

    /// Blocks until a batch is ready; nil when cancelled.
    func take() -> Batch? {
        condition.lock(); defer { condition.unlock() }
        while items.isEmpty && !cancelled { condition.wait() }
        if cancelled { return nil }
        let batch = items.removeFirst()  // capacity is small: O(prefetch)
        condition.broadcast()
        return batch
    }

    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        items.removeAll()
        condition.broadcast()
    }
}
