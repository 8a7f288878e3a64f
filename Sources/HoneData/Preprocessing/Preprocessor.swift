/// A feature transformation whose parameters are learned from training data (`fit`) and then
/// applied unchanged to validation, test and new data (`transform`) — the one protocol every
/// preprocessing step implements. Preprocessors are `Codable`, so a fitted one can be saved next
/// to a model and reloaded for prediction.
///
/// Statistics ignore missing values (NaN) and infinities; `transform` leaves NaN as NaN (use
/// `Imputer` first or last to fill them).
///
/// ```swift
/// var scaler = Standardizer()
/// let trainScaled = try scaler.fitTransform(train)
/// let testScaled = try scaler.transform(test)
/// let saved = try JSONEncoder().encode(scaler)
/// ```
public protocol Preprocessor: Codable, Sendable {
    /// Learns the statistics of `features` (`N × product(featureShape)` values, example-major).
    mutating func fit(_ features: [Float], featureShape: [Int]) throws(DataError)
    /// Applies the learned transformation in place; `featureShape` must equal the fitted shape.
    func transform(_ features: inout [Float], featureShape: [Int]) throws(DataError)
}

extension Preprocessor {
    /// Learns the statistics of `dataset`'s features.
    public mutating func fit(_ dataset: InMemoryDataset) throws(DataError) {
        try fit(dataset.features, featureShape: dataset.featureShape)
    }

    /// `dataset` with transformed features.
    public func transform(_ dataset: InMemoryDataset) throws(DataError) -> InMemoryDataset {
        var features = dataset.features
        try transform(&features, featureShape: dataset.featureShape)
        return dataset.replacingFeatures(features)
    }

    /// Fits on `dataset` and returns it transformed.
    public mutating func fitTransform(_ dataset: InMemoryDataset) throws(DataError) -> InMemoryDataset {
        try fit(dataset)
        return try transform(dataset)
    }
}

/// Which values share one statistic (one mean, one minimum, …).
public enum StatisticsScope: String, Codable, Sendable, CaseIterable {
    /// Each feature position on its own (sklearn's column-wise scalers).
    case perFeature
    /// Each channel of `[C, H, W]` images (torchvision's `Normalize(mean, std)`); `[H, W]` is one channel.
    case perChannel
    /// One statistic for all values.
    case global
}

/// Which statistics group each feature position belongs to, for a scope and a feature shape.
struct FeatureGroups {
    let groupCount: Int
    /// Group index of each feature position.
    let groupOf: [Int]

    init(scope: StatisticsScope, featureShape: [Int], component: String) throws(DataError) {
        let width = featureShape.reduce(1, *)
        switch scope {
        case .perFeature:
            groupCount = width
            groupOf = Array(0..<width)
        case .global:
            groupCount = 1
            groupOf = [Int](repeating: 0, count: width)
        case .perChannel:
            guard featureShape.count == 2 || featureShape.count == 3 else {
                throw DataError(.invalidArgument, file: component,
                                "per-channel statistics need examples of shape [H, W] or [C, H, W], got \(featureShape)")
            }
            let channels = featureShape.count == 3 ? featureShape[0] : 1
            let plane = width / channels
            groupCount = channels
            groupOf = (0..<width).map { $0 / plane }
        }
    }

    /// The finite values of every group, each group's values in example order.
    func values(_ features: [Float], featureShape: [Int]) -> [[Float]] {
        let width = groupOf.count
        var out = [[Float]](repeating: [], count: groupCount)
        let rows = width == 0 ? 0 : features.count / width
        for g in 0..<groupCount { out[g].reserveCapacity(rows * (width / max(groupCount, 1))) }
        for row in 0..<rows {
            let base = row * width
            for f in 0..<width {
                let v = features[base + f]
                if v.isFinite { out[groupOf[f]].append(v) }
            }
        }
        return out
    }

    /// Mean and population standard deviation (divisor n) of the finite values of each group, or nil
    /// for a group without any.
    func meanAndDeviation(_ features: [Float]) -> [(mean: Double, deviation: Double)?] {
        let width = groupOf.count
        let rows = width == 0 ? 0 : features.count / width
        var sum = [Double](repeating: 0, count: groupCount)
        var n = [Int](repeating: 0, count: groupCount)
        for row in 0..<rows {
            for f in 0..<width {
                let v = features[row * width + f]
                if v.isFinite { sum[groupOf[f]] += Double(v); n[groupOf[f]] += 1 }
            }
        }
        let mean = (0..<groupCount).map { n[$0] > 0 ? sum[$0] / Double(n[$0]) : 0 }
        var squares = [Double](repeating: 0, count: groupCount)
        for row in 0..<rows {
            for f in 0..<width {
                let v = features[row * width + f]
                if v.isFinite { let d = Double(v) - mean[groupOf[f]]; squares[groupOf[f]] += d * d }
            }
        }
        return (0..<groupCount).map { g in n[g] > 0 ? (mean[g], (squares[g] / Double(n[g])).squareRoot()) : nil }
    }

    /// Throws when any group has no finite value.
    static func requireValues<T>(_ stats: [T?], scope: StatisticsScope, component: String) throws(DataError) -> [T] {
        if let empty = stats.firstIndex(where: { $0 == nil }) {
            let what = scope == .perFeature ? "feature \(empty)" : scope == .perChannel ? "channel \(empty)" : "the data"
            throw DataError(.badValue, file: component, "\(what) has no finite values in the data it was fitted on")
        }
        return stats.map { $0! }
    }
}

/// Checks that `transform` is called with the shape `fit` saw.
func checkFitted(_ fittedShape: [Int]?, _ featureShape: [Int], _ features: [Float], component: String) throws(DataError) {
    guard let fittedShape else {
        preconditionFailure("\(component).transform: call fit on the training data first")
    }
    guard fittedShape == featureShape else {
        throw DataError(.invalidArgument, file: component,
                        "was fitted on examples of shape \(fittedShape) but is applied to shape \(featureShape)")
    }
    let width = featureShape.reduce(1, *)
    precondition(width > 0 && features.count % width == 0,
                 "\(component).transform: \(features.count) values are not whole examples of shape \(featureShape)")
}

/// The q-quantile (0 ≤ q ≤ 1) of sorted values by linear interpolation between closest ranks
/// (Hyndman & Fan 1996, definition 7; numpy's default).
func quantile(sorted v: [Float], _ q: Double) -> Double {
    precondition(!v.isEmpty, "quantile: no values")
    let h = Double(v.count - 1) * q
    let lo = Int(h.rounded(.down))
    let hi = min(lo + 1, v.count - 1)
    return Double(v[lo]) + (h - Double(lo)) * (Double(v[hi]) - Double(v[lo]))
}

/// Applies `map(value, group)` to every value.
func transformValues(_ features: inout [Float], groups: [Int], _ map: (Float, Int) -> Float) {
    let width = groups.count
    features.withUnsafeMutableBufferPointer { x in
        var i = 0
        while i < x.count {
            for f in 0..<width { x[i + f] = map(x[i + f], groups[f]) }
            i += width
        }
    }
}
