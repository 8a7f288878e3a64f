/// Fills missing values (NaN) with the mean or median of the training data's finite values
/// (sklearn's `SimpleImputer(strategy="mean" | "median")`).
///
/// ```swift
/// var impute = Imputer(strategy: .median)
/// let train = try impute.fitTransform(try CSVReader.read(path: "data.csv").dataset())
/// ```
public struct Imputer: Preprocessor, Equatable {
    /// Which statistic replaces a missing value.
    public enum Strategy: String, Codable, Sendable { case mean, median }

    public let strategy: Strategy
    public let scope: StatisticsScope
    public private(set) var fillValues: [Float] = []
    public private(set) var fittedShape: [Int]?

    public init(strategy: Strategy = .mean, scope: StatisticsScope = .perFeature) {
        self.strategy = strategy
        self.scope = scope
    }

    public mutating func fit(_ features: [Float], featureShape: [Int]) throws(DataError) {
        let groups = try FeatureGroups(scope: scope, featureShape: featureShape, component: "Imputer")
        let fills: [Float?]
        switch strategy {
        case .mean:
            fills = groups.meanAndDeviation(features).map { $0.map { Float($0.mean) } }
        case .median:
            fills = groups.values(features, featureShape: featureShape).map { values in
                values.isEmpty ? nil : Float(quantile(sorted: values.sorted(), 0.5))
            }
        }
        fillValues = try FeatureGroups.requireValues(fills, scope: scope, component: "Imputer")
        fittedShape = featureShape
    }

    public func transform(_ features: inout [Float], featureShape: [Int]) throws(DataError) {
        try checkFitted(fittedShape, featureShape, features, component: "Imputer")
        let groups = try FeatureGroups(scope: scope, featureShape: featureShape, component: "Imputer").groupOf
        let fills = fillValues
        transformValues(&features, groups: groups) { v, g in v.isNaN ? fills[g] : v }
    }
}
