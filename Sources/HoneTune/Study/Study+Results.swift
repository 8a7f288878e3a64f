import Foundation

extension Study {
    /// The COMPLETE trial with the best value (single-objective studies).
    public func bestTrial() throws -> FrozenTrial {
        guard directions.count == 1 else { throw TuneError.multiObjective(study: name, operation: "bestTrial") }
        let d = direction
        let best = try trials(states: [.complete]).min { d.loss($0.values![0]) < d.loss($1.values![0]) }
        guard let best else { throw TuneError.noCompletedTrials(study: name) }
        return best
    }

    /// The best value so far (single-objective studies).
    public func bestValue() throws -> Double { try bestTrial().values![0] }

    /// The COMPLETE trials that no other COMPLETE trial dominates (the Pareto front), in
    /// number order. For one direction: the trial(s) with the best value.
    public func bestTrials() throws -> [FrozenTrial] {
        Self.paretoFront(try trials(states: [.complete]), directions: directions)
    }

    /// Non-dominated trials of `trials` under `directions` (O(n²); fronts are small).
    public static func paretoFront(_ trials: [FrozenTrial], directions: [StudyDirection]) -> [FrozenTrial] {
        let losses = trials.map { t in zip(t.values ?? [], directions).map { $1.loss($0) } }
        func dominates(_ a: [Double], _ b: [Double]) -> Bool {
            var strictly = false
            for (x, y) in zip(a, b) {
                if x > y { return false }
                if x < y { strictly = true }
            }
            return strictly
        }
        var front: [FrozenTrial] = []
        for i in trials.indices where losses[i].count == directions.count {
            if !losses.indices.contains(where: { $0 != i && losses[$0].count == directions.count && dominates(losses[$0], losses[i]) }) {
                front.append(trials[i])
            }
        }
        return front
    }

    // MARK: export

    /// The trials table as CSV: `number,state,value…,datetime_start,datetime_complete,
    /// duration_s,params_<name>…,user_attrs_<key>…` (Optuna's `trials_dataframe` columns).
    public func exportCSV() throws -> String {
        Self.csv(try trials(), directions: directions)
    }

    static func csv(_ trials: [FrozenTrial], directions: [StudyDirection]) -> String {
        let paramNames = Set(trials.flatMap(\.params.keys)).sorted()
        let attrNames = Set(trials.flatMap(\.userAttributes.keys)).sorted()
        let valueCols = directions.count == 1 ? ["value"] : directions.indices.map { "values_\($0)" }
        var header = ["number", "state"] + valueCols + ["datetime_start", "datetime_complete", "duration_s"]
        header += paramNames.map { "params_\($0)" } + attrNames.map { "user_attrs_\($0)" }
        var lines = [header.map(csvField).joined(separator: ",")]
        for t in trials {
            var row = [String(t.number), t.state.rawValue]
            row += directions.indices.map { i in t.values.map { "\($0[i])" } ?? "" }
            row.append(t.startedAt.map(isoTime) ?? "")
            row.append(t.completedAt.map(isoTime) ?? "")
            if let s = t.startedAt, let c = t.completedAt { row.append("\(c.timeIntervalSince(s))") } else { row.append("") }
            let ext = t.externalParams
            row += paramNames.map { ext[$0]?.description ?? "" }
            row += attrNames.map { t.userAttributes[$0] ?? "" }
            lines.append(row.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The trials as a JSON array, one object per trial with its number, state, values,
    /// params (external form), intermediate values, attributes and times.
    public func exportJSON() throws -> String {
        JSONText.array(try trials().map(Self.json)).serialized() + "\n"
    }

    static func json(_ t: FrozenTrial) -> JSONText {
        var o: [String: JSONText] = [
            "number": .int(t.number),
            "state": .string(t.state.rawValue),
            "values": t.values.map { .array($0.map(JSONText.double)) } ?? .null,
            "params": .object(t.externalParams.mapValues(JSONText.init)),
            "intermediate_values": .object(Dictionary(uniqueKeysWithValues: t.intermediateValues.map { (String($0.key), JSONText.double($0.value)) })),
            "user_attrs": .object(t.userAttributes.mapValues(JSONText.string)),
            "system_attrs": .object(t.systemAttributes.mapValues(JSONText.string)),
        ]
        o["datetime_start"] = t.startedAt.map { .string(isoTime($0)) } ?? .null
        o["datetime_complete"] = t.completedAt.map { .string(isoTime($0)) } ?? .null
        return .object(o)
    }
}

private func isoTime(_ d: Date) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f.string(from: d)
}

private func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
