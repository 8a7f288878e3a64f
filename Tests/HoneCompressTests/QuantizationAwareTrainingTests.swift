import Testing
import Foundation
import HoneCompress
import HoneData
import HoneNN
import HoneRandom
import HoneTensor
import HoneTrain

@Test func fakeQuantizeRoundsForwardAndPassesGradientsInsideTheRange() {
    let p = QuantizationParameters(scale: 0.1, zeroPoint: 10)      // range [-1.0, 24.5]
    let x = Tensor([-3, -0.04, 0.26, 30]).requiringGrad()
    let y = FakeQuantize.fakeQuantize(x, p)
    #expect(zip(y.scalars, [-1, 0, 0.3, 24.5] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
    y.sum().backward()
    #expect(x.grad!.scalars == [0, 1, 1, 0])
    let w = Tensor(shape: [2, 2], scalars: [0.5, -1, 0.3, 0.1]).requiringGrad()
    let wq = FakeQuantize.fakeQuantizeWeights(w)
    #expect(abs(wq.scalars[0] - Float((0.5 * 127).rounded()) / 127) < 1e-6)
    (wq * 2).sum().backward()
    #expect(w.grad!.scalars == [2, 2, 2, 2])
}

@Test func quantizationAwareTrainingFineTunesAndConverts() throws {
    let data = try BundledData.fashionMNISTSubset()
    let train = data.train.subset(Array(0..<2000)), test = data.test
    let model = Models.mlp(seed: 3)
    try fit(model, optimizer: Optimizer(model, adam(learningRate: 1e-3)), data: train, epochs: 2, batchSize: 64, seed: 1)
    model.setTraining(false)
    let before = model.namedParameters.map { $0.1.value.scalars }
    let qat = try QuantizationAwareTraining.prepare(model)
    #expect(qat.fakeQuantizers.count == 3)
    try fit(qat, optimizer: Optimizer(qat, adam(learningRate: 1e-4)), data: train, epochs: 1, batchSize: 64, seed: 2)
    // The original model is untouched; the QAT copy was trained.
    #expect(model.namedParameters.map { $0.1.value.scalars } == before)
    #expect(qat.namedParameters.map { $0.1.value.scalars } != before)
    let int8 = qat.convert()
    let floatAcc = evaluate(model, data: test).accuracy!, int8Acc = evaluate(int8, data: test).accuracy!
    #expect(int8Acc >= floatAcc - 0.02, "QAT int8 \(int8Acc) vs float \(floatAcc)")
    #expect(qat.fakeQuantizers.allSatisfy { $0.observed && $0.high > $0.low })
}

@Test func quantizeStageRunsStaticAndDynamicQuantization() throws {
    let data = try BundledData.fashionMNISTSubset()
    let model = Models.mlp(seed: 5)
    let context = CompressionContext(train: data.train.subset(Array(0..<256)))
    let stat = try QuantizeStage(method: .mse, calibrationSamples: 128).apply(to: model, context: context)
    #expect(stat is QuantizedSequential)
    let dyn = try QuantizeStage(dynamic: true).apply(to: model, context: context)
    #expect((dyn as? Sequential)?.layers.contains { $0.layer is QuantizedDense } == true)
    let x = data.test.gather(Array(0..<50)).featureTensor
    #expect(argmaxAgreement(model(x), stat(x)) >= 0.9)
    #expect(throws: CompressionError.self) {
        try QuantizeStage(calibrationSamples: 0).apply(to: model, context: context)
    }
    #expect(throws: CompressionError.self) {
        try QuantizeStage().apply(to: Sequential(Flatten(), Dense(inputSize: 784, outputSize: 10), GELU()), context: context)
    }
}
