import HoneNN
import HoneTensor

/// Averages the gradients of a model's trainable parameters over all ranks, in buckets.
///
/// Layout: parameters are taken in *reverse* registration order (the order backward produces
/// their gradients, as PyTorch DDP's buckets; Li et al., "PyTorch Distributed", VLDB 2020) and
/// packed into flat buckets of about `bucketCapacity` floats. For each bucket the gradients are
/// copied in with the rank's weight (`weight` = local rows / global batch, so the all-reduced
/// sum is the gradient of the global-batch mean loss), the all-reduce is *started*, and the next
/// bucket is packed while it runs; each bucket is unpacked into the parameters' `grad` as soon
/// as its reduction finishes.
///
/// Overlap: Hone's autodiff runs the whole backward sweep in one call with no per-leaf hook, so
/// communication cannot start while backward is still running (DDP's overlap). What overlaps is
/// packing/unpacking with the reductions in flight (with MPI, `MPI_Iallreduce`); a leaf-ready
/// hook in HoneTensor would let the same buckets start during backward.
///
/// ```swift
/// let reducer = GradientReducer(model: model, communicator: comm)
/// loss.backward()
/// reducer.reduce(weight: Float(localRows) / Float(globalBatch))
/// optimizer.step()
/// ```
public final class GradientReducer {
    public let communicator: any Communicator
    private let parameters: [Parameter]
    /// Bucket boundaries: index ranges into `parameters` (reverse order).
    private let buckets: [[Int]]
    private var storage: [[Float]]

    public init(model: any Module, communicator: any Communicator, bucketCapacity: Int = 1 << 20) {
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
        storage = out.map { b in [Float](repeating: 0, count: b.reduce(0) { $0 + params[$1].count }) }
    }

    /// Number of buckets (for tests and logs).
    public var bucketCount: Int { buckets.count }

    /// Replaces every trainable parameter's gradient by Σ_ranks weight_r · grad_r. A parameter
    /// without a gradient on this rank contributes zeros.
    public func reduce(weight: Float) {
        var pending: [(Int, any PendingCollective)] = []
        for b in buckets.indices {
            pack(b, weight: weight)
            let handle = storage[b].withUnsafeMutableBufferPointer { communicator.startAllreduceSum($0) }
            pending.append((b, handle))
            // Finish reductions started earlier while later buckets are packed (keep ≤ 2 in flight).
            if pending.count > 1 {
                let (done, h) = pending.removeFirst()
                h.wait(); unpack(done)
            }
        }
        for (b, h) in pending { h.wait(); unpack(b) }
    }

    private func pack(_ b: Int, weight: Float) {
        storage[b].withUnsafeMutableBufferPointer { dst in
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
        storage[b].withUnsafeBufferPointer { src in
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
