import HoneCompute

/// A contiguous run of one parameter's elements, as handed to ``ElementwiseTransformation``.
///
/// `values[i]` is θ and `updates[i]` the update for element `offset + i` of parameter
/// `parameter`; links read `values` and transform `updates` in place. `step` counts how many
/// updates this parameter has received, this one included (Adam's bias correction uses it).
public struct UpdateChunk {
    /// Index of the parameter in the list the link was initialized with.
    public let parameter: Int
    /// First element of the chunk within the parameter.
    public let offset: Int
    /// Number of elements in the chunk.
    public let count: Int
    /// Number of updates this parameter has received, this one included.
    public let step: Int
    /// The parameter's current values for this chunk.
    public var values: UnsafePointer<Float> { UnsafePointer(mutableValues) }
    /// The updates for this chunk, transformed in place.
    public let updates: UnsafeMutablePointer<Float>
    let mutableValues: UnsafeMutablePointer<Float>
}

/// The updates of one optimizer step for a list of parameters, cut into cache-sized chunks.
///
/// `forEachChunk` runs a body over the chunks on the compute pool. The chunking depends only
/// on the parameter sizes, never on the thread count, so results are identical for any
/// number of threads.
public struct UpdateBatch {
    struct Slot {
        /// Index of the parameter in the list the links were initialized with.
        let index: Int
        let values: UnsafeMutablePointer<Float>
        let updates: UnsafeMutablePointer<Float>
        let count: Int
        let step: Int
    }

    /// Elements per chunk: four Float streams (θ, update, two state arrays) of 2048
    /// elements fill 32 KiB, which stays in L1 while every link of a chain runs over it.
    public static let chunkSize = 2048

    let slots: [Slot]
    let chunks: [(slot: Int, offset: Int, count: Int)]

    init(slots: [Slot]) {
        self.slots = slots
        var c: [(Int, Int, Int)] = []
        for (i, s) in slots.enumerated() {
            var o = 0
            while o < s.count {
                let n = min(Self.chunkSize, s.count - o)
                c.append((i, o, n)); o += n
            }
        }
        chunks = c
    }

    /// Number of parameters in the batch (those with a gradient this step).
    public var parameterCount: Int { slots.count }

    /// Number of chunks (the index range of `chunk(_:)`).
    public var chunkCount: Int { chunks.count }

    /// The `index`-th chunk.
    public func chunk(_ index: Int) -> UpdateChunk {
        let c = chunks[index], s = slots[c.slot]
        return UpdateChunk(parameter: s.index, offset: c.offset, count: c.count, step: s.step,
                           updates: s.updates + c.offset, mutableValues: s.values + c.offset)
    }

    /// Runs `body` on every chunk, in parallel on the compute pool when the batch is large.
    public func forEachChunk(_ body: (UpdateChunk) -> Void) {
        forEachIndex { body(chunk($0)) }
    }

    /// `Σ f(chunk)` over every chunk, summed in chunk order so the result does not depend on
    /// the thread count.
    public func sum(_ f: (UpdateChunk) -> Double) -> Double {
        var partial = [Double](repeating: 0, count: chunks.count)
        partial.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress!
            forEachIndex { i in base[i] = f(chunk(i)) }
        }
        return partial.reduce(0, +)
    }

    /// The slots whose parameter index has an entry in `renumber` (a group of a partition),
    /// with their indices replaced by the entry.
    func subset(_ renumber: [Int?]) -> UpdateBatch {
        UpdateBatch(slots: slots.compactMap { s in
            renumber[s.index].map { Slot(index: $0, values: s.values, updates: s.updates, count: s.count, step: s.step) }
        })
    }

    /// Waking pool workers costs microseconds, so each task gets at least 16 chunks
    /// (32K elements) and small batches run on the calling thread.
    private func forEachIndex(_ body: (Int) -> Void) {
        let n = chunks.count, minChunks = 16
        if n < 2 * minChunks { for i in 0..<n { body(i) }; return }
        Compute.parallelFor(n, minChunk: minChunks) { range in for i in range { body(i) } }
    }
}
