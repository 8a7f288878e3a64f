/// Clips outliers to bounds learned from the training data (winsorizing):
/// - z-score: [μ − kσ, μ + kσ] (k = 3 by default);
/// - interquartile range (Tukey 1977's fences): [Q1 − k·IQR, Q3 + k·IQR] (k = 1.5), quartiles by
///   linear interpolation (numpy's default).
///
/// ```swift
/// var clip = OutlierClipper(method: .interquartileRange(multiplier: 1.5))
/// let train = try clip.fitTransform(rawTrain)
/// ```
public struct OutlierClipper: Preprocessor, Equatable {
    /// How the bounds are computed.
    public enum Method: Codable, Sendable, Equatable {
        case zScore(threshold: Double)
        case interquartileRange(multiplier: Double)
    }

    public let method: Method
    public let scope: StatisticsScope
    public private(set) var lowerBounds: [Float] = []
    public private(set) var upperBounds: [Float] = []
    public private(set) var fittedShape: [Int]?

    public init(method: Method = .zScore(threshold: 3), scope: StatisticsScope = .perFeature) {
        switch method {
        case .zScore(let k), .interquartileRange(let k):
            precondition(k >= 0, "OutlierClipper: the multiplier must be ≥ 0, got \(k)")
        }
        self.method = method
        self.scope = scope
    }

    public mutating func fit(_ features: [Float], featureShape: [Int]) throws(DataError) {
        let groups = try FeatureGroups(scope: scope, featureShape: featureShape, component: "OutlierClipper")
        let bounds: [(Double, Double)?]
        switch method {
        case .zScore(let k):
            bounds = groups.meanAndDeviation(features).map { $0.map { ($0.mean - k * $0.deviation, $0.mean + k * $0.deviation) } }
        case .interquartileRange(let k):
            bounds = groups.values(features, featureShape: featureShape).map { values in
                if values.isEmpty { return nil }
                let sorted = values.sorted()
                let q1 = quantile(sorted: sorted, 0.25), q3 = quantile(sorted: sorted, 0.75)
                return (q1 - k * (q3 - q1), q3 + k * (q3 - q1))
            }
        }
        let checked = try FeatureGroups.requireValues(bounds, scope: scope, component: "OutlierClipper")
        lowerBounds = checked.map { Float($0.0) }
        upperBounds = checked.map { Float($0.1) }
        fittedShape = featureShape
    }

    public func transform(_ features: inout [Float], featureShape: [Int]) throws(DataError) {
        try checkFitted(fittedShape, featureShape, features, component: "OutlierClipper")
        let groups = try FeatureGroups(scope: scope, featureShape: featureShape, component: "OutlierClipper").groupOf
        let lo = lowerBounds, hi = upperBounds
        transformValues(&features, groups: groups) { v, g in v.isNaN ? v : min(max(v, lo[g]), hi[g]) }
    }
}
