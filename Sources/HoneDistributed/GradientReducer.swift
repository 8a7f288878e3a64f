import HoneNN
import HoneTensor

/// Averages the gradients of a model's trainable parameters over all ranks, in buckets.
///
/// Layout: parameters are taken in *reverse* registration order (the order backward produces
/// their gradients, as PyTorch DDP's buckets; Li et al., "PyTorch Distributed", VLDB 2020) and
/// packed into flat buckets of about `bucketCapacity` floats. A bucket is copied in with the
/// rank's weight (`weight` = local rows / global batch, so the all-reduced sum is the gradient
/// of the global-batch mean loss), its all-reduce is *started* (with MPI, `MPI_Iallreduce`),
/// and it is unpacked into the parameters' `grad` once its reduction is finished.
///
/// Two ways to run a step, with the same bucket sums and hence the same bits:
/// - ``backward(_:weight:)`` overlaps communication with the backward pass: it runs
///   `loss.backward(watching:gradientReady:)`, and as soon as every parameter of a bucket has
///   its final gradient, that bucket's all-reduce starts while backward goes on with the
///   earlier layers. Buckets start strictly in bucket order (every rank must issue its
///   collectives in the same order), and all are waited for before it returns.
/// - ``reduce(weight:)`` after a plain `backward()`: buckets are packed and started one after
///   another, each overlapping only with the packing of the next.
///
/// ```swift
/// let reducer = GradientReducer(model: model, communicator: comm)
/// reducer.backward(crossEntropyLoss(model(x), labels), weight: Float(localRows) / Float(globalBatch))
/// optimizer.step()
/// ```
public final class GradientReducer {
    public let communicator: any Communicator
    private let parameters: [Parameter]
    /// Bucket boundaries: index ranges into `parameters` (reverse order).
    private let buckets: [[Int]]
    private let bucketOf: [Int]
    /// One flat buffer per bucket, allocated once: an all-reduce in flight writes into it.
    private let storage: [UnsafeMutableBufferPointer<Float>]

    public init(model: any Module, communicator: any Communicator, bucketCapacity: Int = 1 << 18) {
        precondition(bucketCapacity > 0, "GradientReducer: bucketCapacity must be positive, got \(bucketCapacity)")
        self.communicator = communicator
        let params: [Parameter] = model.trainableParameters.map(\.1).reversed()
        parameters = params
        var out: [[Int]] = [], current: [Int] = [], filled = 0
        for (i, p) in params.enumerated() {
            if filled > 0 && filled + p.count > bucketCapacity { out.append(current); current = []; filled = 0 }
            current.append(i); filled += p.count
        }
        if !current.isEmpty { out.append(current) }
        buckets = out
        var owner = [Int](repeating: 0, count: params.count)
        for (b, members) in out.enumerated() { for i in members { owner[i] = b } }
        bucketOf = owner
        storage = out.map { b in
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: b.reduce(0) { $0 + params[$1].count })
            buffer.initialize(repeating: 0)
            return buffer
        }
    }

    deinit { for b in storage { b.deallocate() } }

    /// Number of buckets (for tests and logs).
    public var bucketCount: Int { buckets.count }

    /// Replaces every trainable parameter's gradient by Σ_ranks weight_r · grad_r. A parameter
    /// without a gradient on this rank contributes zeros.
    public func reduce(weight: Float) {
        var pending: [(Int, any PendingCollective)] = []
        for b in buckets.indices {
            pack(b, weight: weight)
            pending.append((b, start(b)))
            // Finish reductions started earlier while later buckets are packed (keep ≤ 2 in flight).
            if pending.count > 1 {
                let (done, h) = pending.removeFirst()
                h.wait(); unpack(done)
            }
        }
        for (b, h) in pending { h.wait(); unpack(b) }
    }

    /// Back-propagates `loss` and all-reduces the gradients during the sweep: on return every
    /// trainable parameter's gradient is Σ_ranks weight_r · grad_r, bit for bit what
    /// `loss.backward()` followed by ``reduce(weight:)`` gives. Parameters that get no gradient
    /// contribute zeros (their bucket starts once backward is over). Every rank must call it
    /// (or ``reduce(weight:)``, on a rank with no rows) for the same step.
    public func backward(_ loss: Tensor, weight: Float) {
        var left = buckets.map(\.count)
        var next = 0
        var inFlight: [any PendingCollective] = []
        inFlight.reserveCapacity(buckets.count)
        let leaves = parameters.map(\.value)
        loss.backward(watching: leaves) { i in
            let b = bucketOf[i]
            left[b] -= 1
            // Start every complete bucket whose predecessors have started, in bucket order.
            while next < buckets.count && left[next] == 0 {
                pack(next, weight: weight)
                inFlight.append(start(next))
                next += 1
            }
            for h in inFlight { h.progress() }
        }
        while next < buckets.count {
            pack(next, weight: weight)
            inFlight.append(start(next))
            next += 1
        }
        for (b, h) in inFlight.enumerated() { h.wait(); unpack(b) }
    }

    private func start(_ b: Int) -> any PendingCollective {
        communicator.startAllreduceSum(storage[b])
    }

    private func pack(_ b: Int, weight: Float) {
        do {
            let dst = storage[b]
            var offset = 0
            for i in buckets[b] {
                let p = parameters[i]
                let out = UnsafeMutableBufferPointer(rebasing: dst[offset..<offset + p.count])
                if let g = p.grad {
                    g.withUnsafeBufferPointer { src in
                        for k in 0..<p.count { out[k] = src[k] * weight }
                    }
                } else {
                    out.update(repeating: 0)
                }
                offset += p.count
            }
        }
    }

    private func unpack(_ b: Int) {
        do {
            let src = storage[b]
            var offset = 0
            for i in buckets[b] {
                let p = parameters[i]
                let values = Array(src[offset..<offset + p.count])
                p.value.grad = Tensor(shape: p.shape, scalars: values)
                offset += p.count
            }
        }
    }
}
