/// One step of a `PreprocessingPipeline`: a tagged union of the built-in preprocessors, so a
/// whole fitted pipeline encodes to JSON and decodes back without type registries.
public enum PreprocessingStep: Codable, Sendable, Equatable {
    case standardize(Standardizer)
    case minMax(MinMaxScaler)
    case impute(Imputer)
    case clipOutliers(OutlierClipper)

    var preprocessor: any Preprocessor {
        switch self {
        case .standardize(let p): p
        case .minMax(let p): p
        case .impute(let p): p
        case .clipOutliers(let p): p
        }
    }

    fileprivate mutating func fit(_ features: [Float], featureShape: [Int]) throws(DataError) {
        switch self {
        case .standardize(var p): try p.fit(features, featureShape: featureShape); self = .standardize(p)
        case .minMax(var p): try p.fit(features, featureShape: featureShape); self = .minMax(p)
        case .impute(var p): try p.fit(features, featureShape: featureShape); self = .impute(p)
        case .clipOutliers(var p): try p.fit(features, featureShape: featureShape); self = .clipOutliers(p)
        }
    }
}

/// Preprocessing steps applied in order; `fit` fits each step on the output of the ones before it.
///
/// ```swift
/// var prep = PreprocessingPipeline([.impute(Imputer(strategy: .median)),
///                                   .clipOutliers(OutlierClipper()),
///                                   .standardize(Standardizer())])
/// let train = try prep.fitTransform(rawTrain)
/// let test = try prep.transform(rawTest)
/// let json = try JSONEncoder().encode(prep)     // save it with the model
/// ```
public struct PreprocessingPipeline: Preprocessor, Equatable {
    public private(set) var steps: [PreprocessingStep]

    public init(_ steps: [PreprocessingStep]) { self.steps = steps }

    public mutating func fit(_ features: [Float], featureShape: [Int]) throws(DataError) {
        var current = features
        for i in steps.indices {
            try steps[i].fit(current, featureShape: featureShape)
            if i + 1 < steps.count { try steps[i].preprocessor.transform(&current, featureShape: featureShape) }
        }
    }

    public func transform(_ features: inout [Float], featureShape: [Int]) throws(DataError) {
        for step in steps { try step.preprocessor.transform(&features, featureShape: featureShape) }
    }
}
