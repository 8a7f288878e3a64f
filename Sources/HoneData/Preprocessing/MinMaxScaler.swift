/// Min-max scaling: x ↦ lower + (x − min) · (upper − lower) / (max − min), with min and max from
/// the training data (sklearn's `MinMaxScaler`; a constant feature maps to `lower`). Values
/// outside the training range land outside [lower, upper], as in sklearn (no clipping).
///
/// ```swift
/// var scale = MinMaxScaler(range: -1...1)
/// let train = try scale.fitTransform(rawTrain)
/// ```
public struct MinMaxScaler: Preprocessor, Equatable {
    public let scope: StatisticsScope
    public let lower: Float
    public let upper: Float
    public private(set) var minimums: [Float] = []
    public private(set) var maximums: [Float] = []
    public private(set) var fittedShape: [Int]?

    public init(range: ClosedRange<Float> = 0...1, scope: StatisticsScope = .perFeature) {
        self.scope = scope
        self.lower = range.lowerBound
        self.upper = range.upperBound
    }

    public mutating func fit(_ features: [Float], featureShape: [Int]) throws(DataError) {
        let groups = try FeatureGroups(scope: scope, featureShape: featureShape, component: "MinMaxScaler")
        var lo = [Float](repeating: .infinity, count: groups.groupCount)
        var hi = [Float](repeating: -.infinity, count: groups.groupCount)
        let width = groups.groupOf.count
        for (i, v) in features.enumerated() where v.isFinite {
            let g = groups.groupOf[i % width]
            lo[g] = min(lo[g], v)
            hi[g] = max(hi[g], v)
        }
        let ranges: [(Float, Float)?] = zip(lo, hi).map { $0.0 <= $0.1 ? ($0.0, $0.1) : nil }
        let checked = try FeatureGroups.requireValues(ranges, scope: scope, component: "MinMaxScaler")
        minimums = checked.map(\.0)
        maximums = checked.map(\.1)
        fittedShape = featureShape
    }

    public func transform(_ features: inout [Float], featureShape: [Int]) throws(DataError) {
        try checkFitted(fittedShape, featureShape, features, component: "MinMaxScaler")
        let groups = try FeatureGroups(scope: scope, featureShape: featureShape, component: "MinMaxScaler").groupOf
        let lower = self.lower, span = self.upper - self.lower, minimums = self.minimums
        let scale = zip(minimums, maximums).map { $0.1 > $0.0 ? span / ($0.1 - $0.0) : 0 }
        transformValues(&features, groups: groups) { v, g in lower + (v - minimums[g]) * scale[g] }
    }
}
