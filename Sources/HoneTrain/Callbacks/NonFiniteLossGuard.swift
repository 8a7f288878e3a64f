/// Stops training with ``TrainingError/nonFiniteLoss(epoch:batch:value:)`` as soon as a
/// batch's loss is NaN or infinite, before the optimizer step can spread it into the weights.
///
/// ```swift
/// try fit(model, optimizer: opt, data: train, epochs: 5, batchSize: 64, callbacks: [NonFiniteLossGuard()])
/// ```
public final class NonFiniteLossGuard: Callback {
    public init() {}

    public func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws {
        if !loss.isFinite { throw TrainingError.nonFiniteLoss(epoch: state.epoch, batch: batch, value: loss) }
    }
}
