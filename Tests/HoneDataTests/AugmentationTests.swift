import HoneData
import HoneRandom
import Testing

@Suite struct AugmentationTests {
    static let shape = ImageShape(channels: 2, height: 3, width: 4)
    static let image: [Float] = (0..<24).map(Float.init)

    func run(_ a: any ImageAugmentation, _ input: [Float], shape: ImageShape = shape, seed: UInt64 = 1) -> [Float] {
        var x = input
        var g = SeededGenerator(seed: seed)
        x.withUnsafeMutableBufferPointer { a.apply(to: $0, shape: shape, using: &g) }
        return x
    }

    @Test func flipMirrorsEveryRowOfEveryChannel() {
        let flipped = run(HorizontalFlip(probability: 1), Self.image)
        #expect(Array(flipped[0..<4]) == [3, 2, 1, 0] && Array(flipped[12..<16]) == [15, 14, 13, 12])
        #expect(run(HorizontalFlip(probability: 1), flipped) == Self.image)
        #expect(run(HorizontalFlip(probability: 0), Self.image) == Self.image)
    }

    @Test func cropShiftsContentAndPadsWithFill() {
        #expect(run(RandomCrop(padding: 0), Self.image) == Self.image)
        var sawShift = false
        for seed in 0..<50 as Range<UInt64> {
            let out = run(RandomCrop(padding: 1, fill: -1), Self.image, seed: seed)
            // Every output value is either fill or an input value from the same channel.
            for (i, v) in out.enumerated() {
                let channel = i / 12
                #expect(v == -1 || Int(v) / 12 == channel)
            }
            if out != Self.image { sawShift = true }
        }
        #expect(sawShift)
    }

    @Test func affineIdentityAndQuarterTurn() {
        #expect(run(RandomAffine(), Self.image) == Self.image)
        // A 90° rotation of a 3×3 image about its centre moves corners to corners.
        var square: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        square.withUnsafeMutableBufferPointer {
            RandomAffine.warp($0, shape: ImageShape(channels: 1, height: 3, width: 3), angle: .pi / 2,
                              translation: (0, 0), scale: 1, fill: 0)
        }
        let expected: [Float] = [3, 6, 9, 2, 5, 8, 1, 4, 7]
        #expect(zip(square, expected).allSatisfy { abs($0 - $1) < 1e-4 }, "\(square)")
        // A shift by one pixel to the right, bilinear on integer offsets, is exact.
        var row: [Float] = [1, 2, 3, 4]
        row.withUnsafeMutableBufferPointer {
            RandomAffine.warp($0, shape: ImageShape(channels: 1, height: 1, width: 4), angle: 0, translation: (1, 0), scale: 1, fill: 0)
        }
        #expect(row == [0, 1, 2, 3])
    }

    @Test func noiseHasTheRequestedSpreadAndClamps() {
        let zeros = [Float](repeating: 0.5, count: 20_000)
        let noisy = run(GaussianNoise(standardDeviation: 0.1), zeros, shape: ImageShape(channels: 1, height: 100, width: 200))
        let mean = noisy.reduce(0, +) / Float(noisy.count)
        let sd = (noisy.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(noisy.count)).squareRoot()
        #expect(abs(mean - 0.5) < 0.005 && abs(sd - 0.1) < 0.005)
        let clamped = run(GaussianNoise(standardDeviation: 5, clampTo: 0...1), zeros, shape: ImageShape(channels: 1, height: 100, width: 200))
        #expect(clamped.allSatisfy { (0...1).contains($0) })
    }

    @Test func pipelineStreamsDependOnSampleNotBatch() {
        let data = InMemoryDataset(features: (0..<(6 * 16)).map { Float($0 % 7) }, featureShape: [4, 4], labels: [Int32](repeating: 0, count: 6))
        let pipeline = AugmentationPipeline([RandomAffine(maxRotationDegrees: 15, maxTranslation: 0.1, scale: 0.9...1.1),
                                             RandomCrop(padding: 1), HorizontalFlip(), GaussianNoise(standardDeviation: 0.05)])
        var whole = data.gather([0, 1, 2, 3, 4, 5])
        pipeline.apply(to: &whole, seed: 8, epoch: 3)
        var single = data.gather([4])
        pipeline.apply(to: &single, seed: 8, epoch: 3)
        #expect(Array(whole.features[64..<80]) == single.features)
        var nextEpoch = data.gather([4])
        pipeline.apply(to: &nextEpoch, seed: 8, epoch: 4)
        #expect(nextEpoch.features != single.features)
    }
}
