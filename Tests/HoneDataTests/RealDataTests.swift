import HoneData
import Testing

/// Full Fashion-MNIST from Debian's `dataset-fashion-mnist`, and the bundled subset.
@Suite struct RealDataTests {
    static let fullPresent = FashionMNIST.isPresent(directory: FashionMNIST.debianDirectory)

    @Test(.enabled(if: fullPresent, "SKIPPED: Fashion-MNIST not found in /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist)"))
    func fullFashionMNISTCountsShapesAndHistogram() throws {
        let train = try FashionMNIST.load(directory: FashionMNIST.debianDirectory, split: .train)
        let test = try FashionMNIST.load(directory: FashionMNIST.debianDirectory, split: .test)
        #expect(train.count == 60_000 && test.count == 10_000)
        #expect(train.featureShape == [28, 28] && test.featureShape == [28, 28])
        #expect(train.classCount == 10 && train.classNames?[9] == "Ankle boot")
        #expect(train.classHistogram() == [Int](repeating: 6_000, count: 10))
        #expect(test.classHistogram() == [Int](repeating: 1_000, count: 10))
        #expect(train.features.min() == 0 && train.features.max() == 1)
        // Known values of the files: the first training label is 9 (ankle boot), the first test
        // label 9, the second test label 2 (pullover).
        #expect(train.label(at: 0) == 9 && test.label(at: 0) == 9 && test.label(at: 1) == 2)
        let meanPixel = train.features.reduce(0.0) { $0 + Double($1) } / Double(train.features.count)
        #expect(abs(meanPixel - 0.2860) < 0.0005, "mean pixel \(meanPixel) (published 0.2860)")
    }

    @Test func bundledSubsetLoadsStratified() throws {
        let data = try BundledData.fashionMNISTSubset()
        #expect(data.train.count == 8_000 && data.test.count == 2_000)
        #expect(data.train.featureShape == [28, 28])
        #expect(data.train.classHistogram() == [Int](repeating: 800, count: 10))
        #expect(data.test.classHistogram() == [Int](repeating: 200, count: 10))
        #expect(data.train.features.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test(.enabled(if: fullPresent, "SKIPPED: Fashion-MNIST not found in /usr/share/datasets/fashion-mnist"))
    func bundledSubsetImagesComeFromTheRealTestSet() throws {
        let full = try FashionMNIST.load(directory: FashionMNIST.debianDirectory, split: .test)
        let subset = try BundledData.fashionMNISTSubset().test
        // The script keeps file order, so the subset is a subsequence of the full test set.
        var j = 0
        for i in 0..<subset.count {
            let image = subset.example(at: i)
            while j < full.count && full.example(at: j) != image { j += 1 }
            #expect(j < full.count, "subset test image \(i) is not in the full test set in order")
            j += 1
        }
    }
}
