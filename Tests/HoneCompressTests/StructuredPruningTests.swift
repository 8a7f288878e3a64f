import Foundation
import HoneCompress
import HoneNN
import HoneTensor
import Testing

/// Zeroes the removed filters (weights and bias) of `layerPath`, keeping `kept`.
private func maskFilters(_ conv: Conv2D, kept: [Int]) {
    let per = conv.weight.count / conv.outputChannels
    var w = conv.weight.value.scalars
    var b = conv.bias!.value.scalars
    for c in 0..<conv.outputChannels where !kept.contains(c) {
        for i in 0..<per { w[c * per + i] = 0 }
        b[c] = 0
    }
    conv.weight.value = Tensor(shape: conv.weight.shape, scalars: w)
    conv.bias!.value = Tensor(b)
}

@Test func structuredRemovalComputesWhatMaskingComputes() throws {
    let model = Models.cnn(seed: 7)
    let r = try Pruning.structured(model, fraction: 0.5, structure: .filters, norm: .l1)
    #expect(r.kept["0"]?.count == 16 && r.kept["3"]?.count == 32)
    #expect(r.kept["7"] == nil && r.kept["9"] == nil)   // dense layers untouched with .filters
    let small = r.model
    #expect((small.layers[0].layer as! Conv2D).outputChannels == 16)
    #expect((small.layers[3].layer as! Conv2D).inputChannels == 16)
    #expect((small.layers[7].layer as! Dense).inputSize == 32 * 25)
    #expect(small.parameterCount < model.parameterCount / 2 + 1000)
    // Mask the same filters in the original: outputs agree.
    maskFilters(model.layers[0].layer as! Conv2D, kept: r.kept["0"]!)
    maskFilters(model.layers[3].layer as! Conv2D, kept: r.kept["3"]!)
    let x = randomTensor([4, 1, 28, 28], seed: 1, low: 0, high: 1)
    model.setTraining(false); small.setTraining(false)
    #expect(maxAbsDiff(model(x), small(x)) < 1e-4)
}

@Test func structuredPruningKeepsTheLargestNormFilters() throws {
    let conv = Conv2D(inputChannels: 1, outputChannels: 4, kernelSize: 1, seed: 1)
    conv.weight.value = Tensor(shape: [4, 1, 1, 1], scalars: [0.5, -3, 0.1, 2])
    let model = Sequential(conv, ReLU(), Flatten(), Dense(inputSize: 4, outputSize: 2, seed: 2))
    let r = try Pruning.structured(model, fraction: 0.5, norm: .l2)
    #expect(r.kept["0"] == [1, 3])
    let dense = r.model.layers[3].layer as! Dense
    let original = (model.layers[3].layer as! Dense).weight.value.scalars
    #expect(dense.weight.value.scalars == [original[1], original[3], original[5], original[7]])
}

@Test func structuredPruningShrinksBatchNormAndDenseUnits() throws {
    let model = Models.wideCNN(width: 1, seed: 2)
    model.setTraining(false)
    let r = try Pruning.structured(model, fraction: 0.25, structure: .all)
    let bn = r.model.layers[1].layer as! BatchNorm2d
    #expect(bn.features == 24 && bn.runningMean.shape == [24])
    let denseBN = r.model.layers.compactMap { $0.layer as? BatchNorm1d }.first!
    #expect(denseBN.features == 192)
    let x = randomTensor([2, 1, 28, 28], seed: 3, low: 0, high: 1)
    r.model.setTraining(false)
    #expect(r.model(x).shape == [2, 10])
    // The pruned model is ordinary HoneNN layers: ModelFile saves and reloads it.
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-structured-\(getpid()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try ModelFile.save(r.model, to: url)
    let back = try ModelFile.load(from: url)
    #expect(maxAbsDiff(back(x), r.model(x)) == 0)
}

@Test func structuredPruningRejectsUnsupportedLayers() throws {
    let lstmModel = Sequential(Dense(inputSize: 28, outputSize: 28, seed: 1), Reshape([28, 1]),
                               LSTM(inputSize: 1, hiddenSize: 4, seed: 2), Dense(inputSize: 4, outputSize: 2, seed: 3))
    #expect(throws: CompressionError.self) { try Pruning.structured(lstmModel, fraction: 0.5, structure: .units) }
    #expect(throws: CompressionError.unsupportedLayer(method: "structured pruning", layer: "ReLU", path: "1")) {
        try Pruning.structured(Models.cnn(), fraction: 0.5, layers: ["1"])
    }
    #expect(throws: CompressionError.invalidSparsity(1)) { try Pruning.structured(Models.cnn(), fraction: 1) }
}
