/// Standardization: x ↦ (x − μ) / σ with the mean μ and population standard deviation σ of the
/// training data (sklearn's `StandardScaler`; a constant feature, σ = 0, is only centred).
///
/// ```swift
/// var standardize = Standardizer(scope: .perChannel)   // torchvision-style Normalize for images
/// let train = try standardize.fitTransform(rawTrain)
/// ```
public struct Standardizer: Preprocessor, Equatable {
    public let scope: StatisticsScope
    public private(set) var means: [Float] = []
    public private(set) var deviations: [Float] = []
    public private(set) var fittedShape: [Int]?

    public init(scope: StatisticsScope = .perFeature) { self.scope = scope }

    public mutating func fit(_ features: [Float], featureShape: [Int]) throws(DataError) {
        let groups = try FeatureGroups(scope: scope, featureShape: featureShape, component: "Standardizer")
        let stats = try FeatureGroups.requireValues(groups.meanAndDeviation(features), scope: scope, component: "Standardizer")
        means = stats.map { Float($0.mean) }
        deviations = stats.map { Float($0.deviation) }
        fittedShape = featureShape
    }

    public func transform(_ features: inout [Float], featureShape: [Int]) throws(DataError) {
        try checkFitted(fittedShape, featureShape, features, component: "Standardizer")
        let groups = try FeatureGroups(scope: scope, featureShape: featureShape, component: "Standardizer").groupOf
        let inverse = deviations.map { $0 > 0 ? 1 / $0 : 1 }
        let means = self.means
        transformValues(&features, groups: groups) { v, g in (v - means[g]) * inverse[g] }
    }
}
