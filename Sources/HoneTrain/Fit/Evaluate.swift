import HoneData
import HoneNN
import HoneTensor

/// The result of ``evaluate(_:data:loss:batchSize:prefetch:)``.
public struct Evaluation: Sendable, Equatable {
    /// Mean loss per example.
    public let loss: Double
    /// Fraction of examples whose top-scoring class is the label (nil when the model's output
    /// is not a [N, C] score matrix).
    public let accuracy: Double?
    /// Number of examples evaluated.
    public let count: Int
}

/// Mean loss and accuracy of `model` on `data`, in evaluation mode (dropout off, BatchNorm on
/// running statistics) and without recording gradients. The model's mode is restored after.
///
/// ```swift
/// let r = evaluate(model, data: test)
/// print(r.loss, r.accuracy ?? .nan)
/// ```
public func evaluate<D: Dataset>(_ model: any Layer, data: D, loss: LossFunction = crossEntropyLoss,
                                 batchSize: Int = 256, prefetch: Int = 1) -> Evaluation {
    precondition(batchSize >= 1, "evaluate: batchSize must be ≥ 1, got \(batchSize)")
    let wasTraining = model.isTraining
    model.setTraining(false)
    defer { model.setTraining(wasTraining) }
    let loader = DataLoader(dataset: data, batchSize: batchSize, shuffle: false, prefetch: prefetch)
    var lossSum = 0.0, correct = 0, scored = 0, seen = 0
    withoutGradient {
        for batch in loader.batches(epoch: 0) {
            let output = model(Tensor(shape: batch.shape, scalars: batch.features))
            lossSum += Double(loss(output, batch.labels).scalar) * Double(batch.count)
            seen += batch.count
            if let c = countCorrect(output, batch.labels) { correct += c; scored += batch.count }
        }
    }
    return Evaluation(loss: lossSum / Double(max(seen, 1)), accuracy: scored > 0 ? Double(correct) / Double(scored) : nil,
                      count: seen)
}

/// The model's outputs for every example of `data`, in order, stacked along axis 0 (for a
/// classifier: logits [N, C]). Runs in evaluation mode without recording gradients.
///
/// ```swift
/// let logits = predict(model, data: test)
/// let classes = logits.argmax(axis: 1)
/// ```
public func predict<D: Dataset>(_ model: any Layer, data: D, batchSize: Int = 256, prefetch: Int = 1) -> Tensor {
    precondition(batchSize >= 1, "predict: batchSize must be ≥ 1, got \(batchSize)")
    let wasTraining = model.isTraining
    model.setTraining(false)
    defer { model.setTraining(wasTraining) }
    let loader = DataLoader(dataset: data, batchSize: batchSize, shuffle: false, prefetch: prefetch)
    var parts: [Tensor] = []
    withoutGradient {
        for batch in loader.batches(epoch: 0) {
            parts.append(model(Tensor(shape: batch.shape, scalars: batch.features)))
        }
    }
    precondition(!parts.isEmpty, "predict: the dataset is empty")
    return parts.count == 1 ? parts[0] : Tensor.concat(parts, axis: 0)
}

/// The model's outputs for `inputs` (axis 0 is the batch), computed `batchSize` rows at a time
/// in evaluation mode without recording gradients.
///
/// ```swift
/// let logits = predict(model, inputs: Tensor.zeros([1000, 784]))   // [1000, 10]
/// ```
public func predict(_ model: any Layer, inputs: Tensor, batchSize: Int = 256) -> Tensor {
    precondition(batchSize >= 1, "predict: batchSize must be ≥ 1, got \(batchSize)")
    precondition(inputs.rank >= 1 && inputs.shape[0] > 0, "predict: inputs \(inputs.shape) have no rows")
    let wasTraining = model.isTraining
    model.setTraining(false)
    defer { model.setTraining(wasTraining) }
    let n = inputs.shape[0]
    return withoutGradient {
        if n <= batchSize { return model(inputs) }
        var parts: [Tensor] = []
        var start = 0
        while start < n {
            let end = min(start + batchSize, n)
            parts.append(model(inputs[start..<end]))
            start = end
        }
        return Tensor.concat(parts, axis: 0)
    }
}
