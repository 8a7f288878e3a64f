/// The figures of one finished epoch, as callbacks and the returned history see them.
///
/// Keys follow Keras: `loss`, `accuracy`, `val_loss`, `val_accuracy`, plus
/// `learning_rate_scale`, `samples_per_s` (training throughput) and `seconds`.
///
/// ```swift
/// let history = try fit(model, optimizer: opt, data: train, epochs: 3, batchSize: 128)
/// print(history.last!["val_accuracy"] ?? .nan)
/// ```
public struct EpochLog: Sendable, Equatable {
    /// 1-based epoch number.
    public let epoch: Int
    /// The figures by name.
    public var values: [String: Double]

    public init(epoch: Int, values: [String: Double] = [:]) { self.epoch = epoch; self.values = values }

    public subscript(_ key: String) -> Double? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// The figures as one JSON object line (sorted keys; NaN and ±Inf as null).
    public var jsonLine: String {
        var parts = ["\"epoch\":\(epoch)"]
        for key in values.keys.sorted() {
            let v = values[key]!
            parts.append("\"\(key)\":\(v.isFinite ? "\(v)" : "null")")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }
}
