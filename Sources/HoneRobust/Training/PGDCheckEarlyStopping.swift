import HoneNN
import HoneTensor
import HoneTrain

/// Early stopping against catastrophic overfitting (Wong, Rice & Kolter, ICLR 2020, §5.3):
/// after every epoch, measure PGD robust accuracy on a fixed check batch; when it falls more
/// than `tolerance` below the best seen so far (FGSM training has collapsed into gradient
/// masking), restore the weights of the best epoch and stop. Logs `pgd_check_accuracy`.
///
/// ```swift
/// let guardCallback = try PGDCheckEarlyStopping(epsilon: 0.1, inputs: checkX, labels: checkY)
/// ```
public final class PGDCheckEarlyStopping: Callback {
    public let attack: PGD
    public let inputs: Tensor
    public let labels: [Int32]
    public let tolerance: Double
    /// Best PGD check accuracy so far, and its epoch.
    public private(set) var best: (accuracy: Double, epoch: Int) = (-1, 0)
    /// True once a collapse was detected.
    public private(set) var triggered = false
    private var snapshot: [Tensor] = []

    public init(epsilon: Float, steps: Int = 10, inputs: Tensor, labels: [Int32], tolerance: Double = 0.2,
                range: ClosedRange<Float> = 0...1, seed: UInt64 = 0) throws {
        guard tolerance >= 0 else {
            throw RobustnessError.invalidArgument(name: "tolerance", value: "\(tolerance)", expected: "tolerance ≥ 0")
        }
        attack = try PGD(epsilon: epsilon, steps: steps, range: range, seed: seed)
        self.inputs = inputs; self.labels = labels; self.tolerance = tolerance
    }

    public func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {
        let adversarial = try attack.perturb(state.model, inputs: inputs, labels: labels)
        let accuracy = RobustMetrics.accuracy(state.model, inputs: adversarial, labels: labels)
        log["pgd_check_accuracy"] = accuracy
        if accuracy > best.accuracy {
            best = (accuracy, state.epoch)
            snapshot = state.model.namedParameters.map { $0.1.value.detached() }
        } else if accuracy < best.accuracy - tolerance {
            triggered = true
            for ((_, p), saved) in zip(state.model.namedParameters, snapshot) { p.value = saved }
            log["restored_epoch"] = Double(best.epoch)
            state.stopRequested = true
        }
    }
}
