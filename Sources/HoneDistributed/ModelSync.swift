import HoneNN
import HoneTensor

/// Keeping replicas of one model identical across ranks.
///
/// ```swift
/// ModelSync.broadcastState(of: model, from: 0, over: comm)   // every rank starts from rank 0's weights
/// ```
public enum ModelSync {
    /// Copies rank `root`'s parameters and buffers into every other rank's model.
    public static func broadcastState(of model: any Module, from root: Int = 0, over comm: any Communicator) {
        for (_, p) in model.namedParameters {
            var v = p.value.detached().contiguousCopy()
            v.withUnsafeMutableBufferPointer { comm.broadcast($0, root: root) }
            if comm.rank != root { p.value = v }
        }
        for (_, b) in model.namedBuffers {
            var v = b.value.contiguousCopy()
            v.withUnsafeMutableBufferPointer { comm.broadcast($0, root: root) }
            if comm.rank != root { b.value = v }
        }
    }

    /// Replaces every buffer (BatchNorm running mean/variance, …) by its mean over ranks, so all
    /// replicas — and the checkpoint rank 0 writes — carry the same statistics.
    public static func averageBuffers(of model: any Module, over comm: any Communicator) {
        guard comm.size > 1 else { return }
        let scale = 1 / Float(comm.size)
        for (_, b) in model.namedBuffers {
            var v = b.value.contiguousCopy()
            v.withUnsafeMutableBufferPointer { buf in
                comm.allreduceSum(buf)
                for i in buf.indices { buf[i] *= scale }
            }
            b.value = v
        }
    }

    /// Largest absolute difference between this rank's parameters and rank 0's (0 when the
    /// replicas agree); a collective, for checks.
    public static func maxDivergence(of model: any Module, over comm: any Communicator) -> Float {
        var worst: Float = 0
        for (_, p) in model.namedParameters {
            let mine = p.value.detached().contiguousCopy()
            var root = mine
            root.withUnsafeMutableBufferPointer { comm.broadcast($0, root: 0) }
            mine.withUnsafeBufferPointer { a in
                root.withUnsafeBufferPointer { b in
                    for i in a.indices { worst = max(worst, abs(a[i] - b[i])) }
                }
            }
        }
        var w = [Double(worst)]
        w.withUnsafeMutableBufferPointer { buf in
            // max via sum of one-hot is not available; the sum bounds the max from above.
            comm.allreduceSum(buf)
        }
        return Float(w[0])
    }
}

extension Tensor {
    /// A copy with its own contiguous buffer (so in-place writes never touch the original).
    func contiguousCopy() -> Tensor {
        Tensor(shape: shape, scalars: withUnsafeBufferPointer { Array($0) })
    }
}
