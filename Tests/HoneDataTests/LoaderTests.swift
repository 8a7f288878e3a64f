import HoneData
import HoneRandom
import Testing

@Suite struct LoaderTests {
    /// 10 examples of shape [2]: example i has features [i, -i] and label i % 3.
    static let data = InMemoryDataset(features: (0..<10).flatMap { [Float($0), -Float($0)] }, featureShape: [2],
                                      labels: (0..<10).map { Int32($0 % 3) })

    @Test func unshuffledBatchesInOrderWithRemainder() {
        let loader = DataLoader(dataset: Self.data, batchSize: 4, shuffle: false, prefetch: 0)
        let batches = Array(loader.batches(epoch: 0))
        #expect(loader.batchesPerEpoch == 3)
        #expect(batches.map(\.indices) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        #expect(batches[2].shape == [2, 2] && batches[2].features == [8, -8, 9, -9] && batches[2].labels == [2, 0])
    }

    @Test func dropLastRemovesThePartialBatch() {
        let loader = DataLoader(dataset: Self.data, batchSize: 4, shuffle: true, dropLast: true, seed: 3)
        let batches = Array(loader.batches(epoch: 1))
        #expect(loader.batchesPerEpoch == 2 && batches.count == 2 && batches.allSatisfy { $0.count == 4 })
    }

    @Test func shuffleIsSeededPerEpochAndCoversEverything() {
        let a = DataLoader(dataset: Self.data, batchSize: 3, seed: 11)
        let b = DataLoader(dataset: Self.data, batchSize: 3, seed: 11)
        let c = DataLoader(dataset: Self.data, batchSize: 3, seed: 12)
        for epoch in 0..<3 {
            let order = Array(a.batches(epoch: epoch)).flatMap(\.indices)
            #expect(order.sorted() == Array(0..<10))
            #expect(order == Array(b.batches(epoch: epoch)).flatMap(\.indices))
            #expect(order == a.order(epoch: epoch))
        }
        #expect(a.order(epoch: 0) != a.order(epoch: 1))
        #expect(a.order(epoch: 0) != c.order(epoch: 0))
    }

    @Test(arguments: [0, 1, 3])
    func prefetchDoesNotChangeBatches(prefetch: Int) {
        let augment = AugmentationPipeline([GaussianNoise(standardDeviation: 0.1)])
        let big = InMemoryDataset(features: (0..<(500 * 4)).map { Float($0 % 97) }, featureShape: [2, 2],
                                  labels: (0..<500).map { Int32($0 % 5) })
        let reference = Array(DataLoader(dataset: big, batchSize: 32, seed: 5, prefetch: 0, augmentation: augment).batches(epoch: 2))
        let loader = DataLoader(dataset: big, batchSize: 32, seed: 5, prefetch: prefetch, augmentation: augment)
        #expect(Array(loader.batches(epoch: 2)) == reference)
    }

    @Test func cancellingStopsTheProducer() {
        let big = InMemoryDataset(features: [Float](repeating: 1, count: 2000), featureShape: [2],
                                  labels: [Int32](repeating: 0, count: 1000))
        let loader = DataLoader(dataset: big, batchSize: 10, prefetch: 2)
        let iterator = loader.batches(epoch: 0).makeIterator()
        #expect(iterator.next()?.count == 10)
        iterator.cancel()
        #expect(iterator.next() == nil)
        // Abandoning an iterator mid-epoch (released without cancel) must not hang either.
        for _ in 0..<20 {
            let partial = loader.batches(epoch: 1).makeIterator()
            _ = partial.next()
        }
    }

    @Test func subsetViewsGatherFromTheBase() {
        let subset = Self.data.subset([7, 2])
        #expect(subset.count == 2 && subset.labels == [1, 2])
        #expect(subset.gather([1, 0]).features == [2, -2, 7, -7])
        #expect(Self.data.selecting([7, 2]).features == [7, -7, 2, -2])
    }
}
