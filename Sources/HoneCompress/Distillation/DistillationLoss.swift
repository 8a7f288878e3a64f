import HoneNN
import HoneTensor

extension Loss {
    /// Knowledge-distillation loss (Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a
    /// Neural Network", arXiv:1503.02531):
    ///
    ///     L = α · T² · KL(softmax(t/T) ‖ softmax(s/T)) + (1 − α) · CE(s, y)
    ///
    /// with student logits s, teacher logits t (constants: no gradient reaches the teacher),
    /// temperature T and weight α on the soft term; KL is per sample (batch mean), and the T²
    /// keeps the soft term's gradient scale independent of T. α = 1 is pure distillation,
    /// α = 0 plain cross-entropy.
    ///
    /// ```swift
    /// let l = Loss.distillation(student: s, teacher: t, labels: y, temperature: 4, alpha: 0.9)
    /// ```
    public static func distillation(student: Tensor, teacher: Tensor, labels: [Int32], temperature: Float,
                                    alpha: Float) -> Tensor {
        precondition(student.rank == 2 && student.shape == teacher.shape,
                     "Loss.distillation: student logits \(student.shape) and teacher logits \(teacher.shape) must both be [N, C]")
        precondition(temperature > 0, "Loss.distillation: temperature must be positive, got \(temperature)")
        precondition(alpha >= 0 && alpha <= 1, "Loss.distillation: alpha must be in [0, 1], got \(alpha)")
        let soft = withoutGradient { (teacher.detached() * (1 / temperature)).softmax(axis: 1) }
        let kl = klDivergence(input: (student * (1 / temperature)).logSoftmax(axis: 1), target: soft, reduction: .batchMean)
        let softTerm = kl * (temperature * temperature)
        if alpha == 1 { return softTerm }
        let hard = crossEntropy(logits: student, labels: labels)
        if alpha == 0 { return hard }
        return alpha * softTerm + (1 - alpha) * hard
    }
}
