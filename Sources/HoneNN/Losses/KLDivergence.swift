import HoneTensor

extension Loss {
    /// Kullback–Leibler divergence with PyTorch's `kl_div` semantics: `input` holds
    /// log-probabilities log q, `target` holds probabilities p (or log p with `logTarget`);
    /// pointwise p·(log p − log q), taken as 0 where p = 0. Use `.batchMean` for the true
    /// KL(p‖q) per sample; `.mean` averages over every element, as PyTorch does.
    /// Distillation (Hinton et al., arXiv:1503.02531) uses
    /// `T²·kl(logSoftmax(student/T), softmax(teacher/T))`.
    ///
    /// ```swift
    /// let l = Loss.klDivergence(input: student.logSoftmax(), target: teacher.softmax(), reduction: .batchMean)
    /// ```
    public static func klDivergence(input: Tensor, target: Tensor, logTarget: Bool = false,
                                    reduction: Reduction = .mean) -> Tensor {
        precondition(input.shape == target.shape,
                     "Loss.klDivergence: input \(input.shape) and target \(target.shape) differ")
        if logTarget { return reduction.apply(target.exp() * (target - input)) }
        // xlogy(p, p): p·log p with 0·log 0 = 0 (the target is a constant, not differentiated
        // through the mask).
        let p = target
        let positive = withoutGradient { (p .> 0) }
        let safeLog = (p * positive + (1 - positive)).log()       // log p where p > 0, else log 1 = 0
        return reduction.apply(p * safeLog - p * input)
    }
}
