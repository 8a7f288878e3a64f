/// Shared rules for re-enqueuing a trial that was failed because its heartbeat went stale.
enum StaleTrialRetry {
    static let retriedFromKey = "retried_from"
    static let retryCountKey = "retry_count"
    static let fixedParamsKey = "fixed_params"

    /// System attributes for the retry of `trial`, or nil when its chain used up `maxRetries`.
    /// Enqueued (fixed) parameters are carried over so that a retry of a retry still sees them.
    static func attributes(for trial: FrozenTrial, policy: StaleTrialPolicy) -> [String: String]? {
        guard policy.retry else { return nil }
        let count = Int(trial.systemAttributes[retryCountKey] ?? "0") ?? 0
        guard count < policy.maxRetries else { return nil }
        var attrs = [retriedFromKey: String(trial.number), retryCountKey: String(count + 1)]
        if let fixed = trial.systemAttributes[fixedParamsKey] { attrs[fixedParamsKey] = fixed }
        return attrs
    }
}

extension StaleTrialPolicy {
    /// System attributes (`retried_from`, `retry_count`, carried `fixed_params`) for the
    /// WAITING retry of the stale trial `trial`, or nil when there is no retry (off, or the
    /// chain used up `maxRetries`). For storage backends outside HoneTune.
    ///
    /// ```swift
    /// if let attrs = policy.retryAttributes(for: failed) { /* enqueue a copy with attrs */ }
    /// ```
    public func retryAttributes(for trial: FrozenTrial) -> [String: String]? {
        StaleTrialRetry.attributes(for: trial, policy: self)
    }
}
