import HoneNN
import HoneTensor
import HoneTrain

/// Pipeline (model) parallelism, GPipe-style (Huang et al., "GPipe", NeurIPS 2019): a
/// `Sequential` is cut into consecutive stages, rank `r` holds stage `r`, and each batch is
/// split into micro-batches that flow forward through the stages and then backward in reverse.
///
/// Schedule: all micro-batches forward (stage r works on micro-batch m while stage r+1 works on
/// m−1), then all backward in reverse order; gradients accumulate in each stage's parameters
/// over the micro-batches. Micro-batch m's loss is weighted by its share of the batch
/// (n_m / n), so the accumulated gradients are those of the whole batch's mean loss — the same
/// as the single-process model's up to float rounding. Activations and their gradients travel
/// with `send`/`receive` (a small shape header, then the values).
///
/// ```swift
/// InProcessGroup.run(size: 2) { comm in
///     let model = Models.mlp(seed: 1)                 // same seed on every rank
///     let stage = PipelineStage(model: model, cuts: [4], communicator: comm)
///     let loss = stage.forwardBackward(input: comm.rank == 0 ? x : nil, labels: labels, microBatches: 4)
///     // each rank's stage.layers now hold gradients; step an optimizer over stage.parameters
/// }
/// ```
public final class PipelineStage {
    public let communicator: any Communicator
    /// This rank's layers (a `Sequential` of layers `[cuts[r-1], cuts[r])` of the model).
    public let stage: Sequential
    /// Index of this stage's first layer in the full model.
    public let firstLayer: Int
    private let isFirst: Bool
    private let isLast: Bool
    private static let headerSize = 8

    /// - Parameters:
    ///   - model: the full model (every rank may build it the same way; each keeps only its stage).
    ///   - cuts: `size − 1` increasing layer indices where a new stage begins.
    public init(model: Sequential, cuts: [Int], communicator: any Communicator) {
        let n = model.layers.count
        let bounds = [0] + cuts + [n]
        precondition(cuts.count == communicator.size - 1,
                     "PipelineStage: \(communicator.size) ranks need \(communicator.size - 1) cuts, got \(cuts)")
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 },
                     "PipelineStage: cuts \(cuts) must be increasing, inside 1..<\(n), leaving no stage empty")
        self.communicator = communicator
        let r = communicator.rank
        firstLayer = bounds[r]
        stage = Sequential(named: Array(model.layers[bounds[r]..<bounds[r + 1]]).map { ($0.name, $0.layer) })
        isFirst = r == 0
        isLast = r == communicator.size - 1
    }

    /// This stage's parameters under the full model's names (`"4.weight"` for layer 4): the
    /// stage keeps its layers' names from the model.
    public var namedParameters: [(String, Parameter)] { stage.namedParameters }

    /// Runs forward and backward for one batch over all stages and accumulates this stage's
    /// parameter gradients. Rank 0 passes the batch `input`; the last rank passes `labels`
    /// (other ranks may pass nil / anything). Returns the batch's mean loss on the last rank,
    /// nil elsewhere.
    @discardableResult
    public func forwardBackward(input: Tensor?, labels: [Int32]?, microBatches: Int,
                                loss: LossFunction = crossEntropyLoss) -> Double? {
        precondition(microBatches >= 1, "PipelineStage.forwardBackward: microBatches must be ≥ 1, got \(microBatches)")
        let comm = communicator
        var inputs: [Tensor] = []      // this stage's inputs (leaves with grad, except on rank 0)
        var outputs: [Tensor] = []     // this stage's outputs (or the weighted losses on the last rank)
        var total = 0.0
        // Forward through every micro-batch.
        var batchRows = 0
        if isFirst {
            guard let input else { preconditionFailure("PipelineStage.forwardBackward: rank 0 needs the input batch") }
            batchRows = input.shape[0]
        }
        for m in 0..<microBatches {
            var x: Tensor
            if isFirst {
                let lo = m * batchRows / microBatches, hi = (m + 1) * batchRows / microBatches
                x = input!.slicedRows(lo, hi)
            } else {
                x = receiveTensor(from: comm.rank - 1, tag: 2 * m).requiringGrad()
            }
            inputs.append(x)
            let y = stage(x)
            if isLast {
                guard let labels else { preconditionFailure("PipelineStage.forwardBackward: the last rank needs the labels") }
                if m == 0 { batchRows = labels.count }
                let lo = m * batchRows / microBatches, hi = (m + 1) * batchRows / microBatches
                let l = loss(y, Array(labels[lo..<hi]))
                let weight = Float(hi - lo) / Float(batchRows)
                total += Double(l.scalar) * Double(weight)
                outputs.append(l * weight)
            } else {
                sendTensor(y, to: comm.rank + 1, tag: 2 * m)
                outputs.append(y)
            }
        }
        // Backward in reverse micro-batch order.
        for m in (0..<microBatches).reversed() {
            if isLast {
                outputs[m].backward()
            } else {
                let g = receiveTensor(from: comm.rank + 1, tag: 2 * m + 1)
                outputs[m].backward(seed: g)
            }
            if !isFirst {
                let gx = inputs[m].grad ?? Tensor.zeros(inputs[m].shape)
                sendTensor(gx, to: comm.rank - 1, tag: 2 * m + 1)
            }
            outputs[m] = Tensor.zeros([1])   // free the micro-batch's graph
        }
        return isLast ? total : nil
    }

    private func sendTensor(_ t: Tensor, to: Int, tag: Int) {
        precondition(t.rank < Self.headerSize, "PipelineStage: activations of rank \(t.rank) are not supported")
        var header = [Float](repeating: 0, count: Self.headerSize)
        header[0] = Float(t.rank)
        for (i, d) in t.shape.enumerated() { header[i + 1] = Float(d) }
        header.withUnsafeBufferPointer { communicator.send($0, to: to, tag: tag) }
        t.withUnsafeBufferPointer { communicator.send($0, to: to, tag: tag) }
    }

    private func receiveTensor(from: Int, tag: Int) -> Tensor {
        var header = [Float](repeating: 0, count: Self.headerSize)
        header.withUnsafeMutableBufferPointer { communicator.receive($0, from: from, tag: tag) }
        let shape = (0..<Int(header[0])).map { Int(header[$0 + 1]) }
        var values = [Float](repeating: 0, count: shape.reduce(1, *))
        values.withUnsafeMutableBufferPointer { communicator.receive($0, from: from, tag: tag) }
        return Tensor(shape: shape, scalars: values)
    }
}

extension Tensor {
    /// Rows `[lo, hi)` along the first axis, as a new untracked tensor.
    func slicedRows(_ lo: Int, _ hi: Int) -> Tensor {
        let row = shape.dropFirst().reduce(1, *)
        let values = withUnsafeBufferPointer { Array($0[(lo * row)..<(hi * row)]) }
        return Tensor(shape: [hi - lo] + Array(shape.dropFirst()), scalars: values)
    }
}
