import HoneTensor

extension Loss {
    /// Cross-entropy of `logits` [N, C] against class indices, with PyTorch's `cross_entropy`
    /// semantics: optional per-class `classWeights` [C] and `labelSmoothing` ε (the target
    /// becomes (1 − ε)·onehot + ε/C). With weights, `.mean` divides by Σᵢ w[yᵢ]; `.none`
    /// returns the per-sample losses [N]. The plain case (no weights, no smoothing, `.mean`)
    /// runs the fused `Tensor.softmaxCrossEntropy` kernel.
    ///
    /// ```swift
    /// let l = Loss.crossEntropy(logits: model(x), labels: y, labelSmoothing: 0.1)
    /// ```
    public static func crossEntropy(logits: Tensor, labels: [Int32], classWeights: [Float]? = nil,
                                    labelSmoothing: Float = 0, reduction: Reduction = .mean) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] == labels.count,
                     "Loss.crossEntropy: logits \(logits.shape) and \(labels.count) labels are incompatible (need [N, C] and N labels)")
        precondition(labelSmoothing >= 0 && labelSmoothing <= 1,
                     "Loss.crossEntropy: labelSmoothing must be in [0, 1], got \(labelSmoothing)")
        let n = logits.shape[0], c = logits.shape[1]
        if let classWeights {
            precondition(classWeights.count == c, "Loss.crossEntropy: \(classWeights.count) class weights for \(c) classes")
        }
        for (i, l) in labels.enumerated() where l < 0 || Int(l) >= c {
            preconditionFailure("Loss.crossEntropy: label \(l) at position \(i) is outside 0..<\(c)")
        }
        if classWeights == nil && labelSmoothing == 0 && reduction == .mean {
            return Tensor.softmaxCrossEntropy(logits: logits, labels: labels)
        }
        let logp = logits.logSoftmax(axis: 1)
        // Per-sample negative log-likelihood, weighted by w[yᵢ].
        var pick = [Float](repeating: 0, count: n * c)
        for (i, l) in labels.enumerated() { pick[i * c + Int(l)] = classWeights?[Int(l)] ?? 1 }
        let nll = -(logp * Tensor(shape: [n, c], scalars: pick)).sum(axes: [1])   // [N]
        let denominator: Float = classWeights.map { w in labels.reduce(0) { $0 + w[Int($1)] } } ?? Float(n)
        func reduce(_ perSample: Tensor) -> Tensor {
            switch reduction {
            case .mean: return perSample.sum() * (1 / Swift.max(denominator, .leastNormalMagnitude))
            default: return reduction.apply(perSample)
            }
        }
        guard labelSmoothing > 0 else { return reduce(nll) }
        let smooth: Tensor   // −Σ_c w_c log p_ic, [N]
        if let classWeights {
            smooth = -(logp * Tensor(shape: [1, c], scalars: classWeights)).sum(axes: [1])
        } else {
            smooth = -logp.sum(axes: [1])
        }
        return (1 - labelSmoothing) * reduce(nll) + (labelSmoothing / Float(c)) * reduce(smooth)
    }

    /// Cross-entropy with integer labels (Keras' `sparse_categorical_crossentropy` from logits);
    /// the same as `crossEntropy(logits:labels:)`.
    ///
    /// ```swift
    /// let l = Loss.sparseCrossEntropy(logits: logits, labels: [3, 0, 9])
    /// ```
    public static func sparseCrossEntropy(logits: Tensor, labels: [Int32], reduction: Reduction = .mean) -> Tensor {
        crossEntropy(logits: logits, labels: labels, reduction: reduction)
    }

    /// Cross-entropy of `logits` [N, C] against target probabilities [N, C] (soft labels, as
    /// PyTorch's `cross_entropy` with a probability target): −Σ_c pᵢc·log softmax(logits)ᵢc per
    /// sample; `.mean` averages over samples.
    ///
    /// ```swift
    /// let l = Loss.crossEntropy(logits: student, probabilities: teacherProbabilities)
    /// ```
    public static func crossEntropy(logits: Tensor, probabilities: Tensor, reduction: Reduction = .mean) -> Tensor {
        precondition(logits.rank == 2 && logits.shape == probabilities.shape,
                     "Loss.crossEntropy: logits \(logits.shape) and probabilities \(probabilities.shape) must both be [N, C]")
        return reduction.apply(-(logits.logSoftmax(axis: 1) * probabilities).sum(axes: [1]))
    }
}
