extension Study {
    /// Starts a trial and suggests every parameter of a space declared up front (as
    /// `hone ask --space` does), in name order.
    ///
    /// With `deduplicate`, a configuration equal to that of a COMPLETE trial is not handed out
    /// again: the new trial is finished at once as COMPLETE with the earlier trial's values
    /// (system attribute `duplicate_of` names it — re-running a deterministic objective would
    /// give the same result) and the next trial is asked, up to `maxAttempts` times; after that
    /// the duplicate is returned. Useful for small discrete spaces, where samplers repeat
    /// themselves (Optuna issues #2021, #5440). Without it, behaviour matches Optuna.
    ///
    /// ```swift
    /// let t = try study.ask(space: ["n": .int(low: 1, high: 4, log: false, step: 1)], deduplicate: true)
    /// ```
    public func ask(space: [String: Distribution], deduplicate: Bool = false, maxAttempts: Int = 100) throws -> Trial {
        var attempt = 0
        while true {
            let trial = try ask()
            do {
                for name in space.keys.sorted() { _ = try trial.suggest(name, space[name]!) }
            } catch {
                _ = try? tell(trial, state: .fail)
                throw error
            }
            attempt += 1
            guard deduplicate, attempt < maxAttempts else { return trial }
            let mine = trial.frozenTrial
            let twin = try trials(states: [.complete]).first {
                $0.params == mine.params && $0.distributions == mine.distributions
            }
            guard let twin, let values = twin.values else { return trial }
            try trial.setSystemAttribute("duplicate_of", String(twin.number))
            try tell(trial, state: .complete, values: values)
        }
    }
}
