import HoneCompress
import HoneData
import HoneNN
import HoneTensor
import HoneTrain
import Testing

/// 512 bundled Fashion-MNIST training examples, flattened.
func smallTrainingSet() throws -> InMemoryDataset {
    let data = try BundledData.fashionMNISTSubset()
    return data.train.selecting(Array(0..<512))
}

@Test func maskedFineTuningKeepsPrunedWeightsAtZeroWithMomentumAndWeightDecay() throws {
    let train = try smallTrainingSet()
    let model = Models.mlp(seed: 2)
    // Train briefly first so the optimizer state of soon-pruned weights is non-zero.
    let optimizer = Optimizer(model, adamW(learningRate: 1e-3, weightDecay: 0.1))
    try fit(model, optimizer: optimizer, data: train, epochs: 1, batchSize: 64)
    let masks = try Pruning.magnitude(model, sparsity: 0.8)
    try fit(model, optimizer: optimizer, data: train, epochs: 1, batchSize: 64, callbacks: [MaskedFineTuning(masks)])
    for t in try Pruning.targets(in: model) {
        let w = t.parameter.value.scalars, m = masks.masks[t.name]!
        for i in w.indices where m[i] == 0 { #expect(w[i] == 0) }
        #expect(zip(w, m).contains { $0.1 == 1 && $0.0 != 0 })
    }
}

@Test func gradualPruningReachesTheFinalSparsity() throws {
    let train = try smallTrainingSet()
    let model = Models.mlp(seed: 3)
    let schedule = try PolynomialDecaySchedule(finalSparsity: 0.7, beginStep: 0, endStep: 12, frequency: 4)
    let pruning = GradualPruning(schedule: schedule)
    try fit(model, optimizer: Optimizer(model, adam(learningRate: 1e-3)), data: train, epochs: 2, batchSize: 64,
            callbacks: [pruning])
    #expect(abs(pruning.masks.measuredSparsity(of: model) - 0.7) < 1e-3)
}
