import HoneTrain

extension EpochLog {
    /// One epoch's log from running sums over its batches: mean loss per example, accuracy over
    /// the scored examples (when any were scored), throughput and seconds. Used by the
    /// data-parallel trainer and by its single-process shard-accumulating reference, so both
    /// report the same figures the same way.
    static func summing(epoch: Int, lossSum: Double, correct: Double, scored: Double, seen: Double,
                        seconds: Double) -> EpochLog {
        var log = EpochLog(epoch: epoch)
        log["loss"] = lossSum / max(seen, 1)
        if scored > 0 { log["accuracy"] = correct / scored }
        log["samples_per_s"] = seen / max(seconds, 1e-9)
        log["seconds"] = seconds
        return log
    }
}
