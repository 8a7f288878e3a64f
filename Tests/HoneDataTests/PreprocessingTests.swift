import Foundation
import HoneData
import Testing

@Suite struct PreprocessingTests {
    /// 4 examples × 2 features; feature 1 has a missing value.
    static let train = InMemoryDataset(features: [1, 10, 2, .nan, 3, 30, 6, 20], featureShape: [2], labels: [0, 1, 0, 1])

    @Test func standardizerMatchesHandComputedValues() throws {
        var s = Standardizer()
        let out = try s.fitTransform(Self.train).features
        // Feature 0: mean 3, population σ = sqrt((4+1+0+9)/4) = sqrt(3.5). Feature 1: mean 20, σ = sqrt(200/3).
        #expect(s.means == [3, 20])
        let s0 = Float(3.5.squareRoot()), s1 = Float((200.0 / 3).squareRoot())
        #expect(abs(out[0] - (-2 / s0)) < 1e-6 && abs(out[6] - 3 / s0) < 1e-6)
        #expect(abs(out[1] - (-10 / s1)) < 1e-6 && out[3].isNaN && out[7] == 0)
        // Applied to new data with the training statistics.
        var other = [Float]([3, 20])
        try s.transform(&other, featureShape: [2])
        #expect(other == [0, 0])
    }

    @Test func minMaxAndConstantFeatures() throws {
        var m = MinMaxScaler(range: -1...1)
        let data = InMemoryDataset(features: [0, 5, 10, 5], featureShape: [2], labels: [0, 1])
        let out = try m.fitTransform(data).features
        #expect(out == [-1, -1, 1, -1])  // feature 1 is constant → lower bound
        var test: [Float] = [20, 5]
        try m.transform(&test, featureShape: [2])
        #expect(test == [3, -1])
    }

    @Test func imputeMeanAndMedian() throws {
        var mean = Imputer(strategy: .mean)
        #expect(try mean.fitTransform(Self.train).features[3] == 20)
        var median = Imputer(strategy: .median)
        let data = InMemoryDataset(features: [1, .nan, 100, 2, 3], featureShape: [1], labels: [0, 0, 0, 0, 0])
        let out = try median.fitTransform(data).features
        #expect(out == [1, 2.5, 100, 2, 3])
        let allMissing = InMemoryDataset(features: [.nan, 1], featureShape: [2], labels: [0])
        var imputer = Imputer()
        #expect(dataError { try imputer.fit(allMissing) }?.problem.contains("feature 0") == true)
    }

    @Test func clipOutliersByZScoreAndIQR() throws {
        let values: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100]
        let data = InMemoryDataset(features: values, featureShape: [1], labels: [Int32](repeating: 0, count: 10))
        var iqr = OutlierClipper(method: .interquartileRange(multiplier: 1.5))
        let clipped = try iqr.fitTransform(data).features
        // numpy: Q1 = 3.25, Q3 = 7.75, IQR = 4.5 → fences -3.5 and 14.5.
        #expect(iqr.lowerBounds == [-3.5] && iqr.upperBounds == [14.5])
        #expect(clipped.last == 14.5 && clipped.first == 1)
        var z = OutlierClipper(method: .zScore(threshold: 2))
        let zClipped = try z.fitTransform(data).features
        let mean = values.reduce(0, +) / 10
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 10).squareRoot()
        #expect(abs(zClipped.last! - (mean + 2 * sd)) < 1e-4)
        #expect(zClipped[0] == 1)
    }

    @Test func perChannelAndGlobalScopes() throws {
        // Two examples of [2 channels, 1, 2]: channel 0 values 0, 2, 4, 6; channel 1 all 10.
        let images = InMemoryDataset(features: [0, 2, 10, 10, 4, 6, 10, 10], featureShape: [2, 1, 2], labels: [0, 0])
        var perChannel = Standardizer(scope: .perChannel)
        try perChannel.fit(images)
        #expect(perChannel.means == [3, 10] && perChannel.deviations[1] == 0)
        var global = Standardizer(scope: .global)
        try global.fit(images)
        #expect(global.means == [6.5])
        var wrong = Standardizer(scope: .perChannel)
        #expect(dataError { try wrong.fit(Self.train) }?.kind == .invalidArgument)
        #expect(dataError { try perChannel.transform(Self.train) }?.kind == .invalidArgument)
    }

    @Test func pipelineFitsInOrderAndRoundTripsThroughJSON() throws {
        var pipeline = PreprocessingPipeline([.impute(Imputer(strategy: .median)), .standardize(Standardizer())])
        let out = try pipeline.fitTransform(Self.train)
        #expect(out.features.allSatisfy { $0.isFinite })
        // The standardizer was fitted after imputation: feature 1 is 10, 20, 30, 20 → mean 20.
        if case .standardize(let s) = pipeline.steps[1] { #expect(s.means == [3, 20]) }
        let json = try JSONEncoder().encode(pipeline)
        let decoded = try JSONDecoder().decode(PreprocessingPipeline.self, from: json)
        #expect(decoded == pipeline)
        #expect(try decoded.transform(Self.train) == out)
    }
}
