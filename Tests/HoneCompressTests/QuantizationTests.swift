import Testing
import Foundation
import HoneCompress
import HoneNN
import HoneRandom
import HoneTensor

/// Random calibration/test batches in [0, 1) (image-like inputs).
func randomBatches(_ count: Int, shape: [Int], seed: UInt64) -> [Tensor] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Tensor.uniform(shape: shape, generator: &g) }
}

func maxAbs(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func argmaxAgreement(_ a: Tensor, _ b: Tensor) -> Double {
    let c = a.shape[1], x = a.scalars, y = b.scalars
    var same = 0
    for i in 0..<a.shape[0] {
        var ia = 0, ib = 0
        for j in 1..<c { if x[i * c + j] > x[i * c + ia] { ia = j }; if y[i * c + j] > y[i * c + ib] { ib = j } }
        if ia == ib { same += 1 }
    }
    return Double(same) / Double(a.shape[0])
}

@Test func quantizationParametersCoverRangeAndZero() {
    let p = QuantizationParameters(min: -0.5, max: 3.0)
    #expect(p.zeroPoint == 36)
    #expect(abs(p.dequantize(p.quantize(1.0)) - 1.0) <= p.scale / 2)
    #expect(p.dequantize(UInt8(p.zeroPoint)) == 0)
    let relu = QuantizationParameters(min: 0, max: 6)
    #expect(relu.zeroPoint == 0 && relu.quantize(-1) == 0 && relu.quantize(100) == 255)
    let w = QuantizedWeights(weights: [0.5, -1, 0.25, 0, 0, 0], outputChannels: 2)
    #expect(w.values == [64, -127, 32, 0, 0, 0] && w.scales[0] == 1 / 127 && w.scales[1] == 1)
}

@Test func observersClipOutliers() {
    var values = [Float](repeating: 0, count: 10_000)
    for i in values.indices { values[i] = Float(i % 100) / 100 }
    values[0] = 1000   // one outlier
    func run(_ o: any CalibrationObserver) -> QuantizationParameters {
        var o = o
        values.withUnsafeBufferPointer { o.observeRange($0) }
        if o.needsHistogram { values.withUnsafeBufferPointer { o.observeHistogram($0) } }
        return o.parameters()
    }
    let minMax = run(MinMaxObserver()), percentile = run(PercentileObserver(percentile: 99.9)), mse = run(MSEObserver())
    #expect(abs(minMax.range.upperBound - 1000) < 1e-3)
    // The outlier is 0.01% of the values: the percentile observer cuts the range far below it,
    // and the bulk (values up to 0.99) stays representable. MSE weighs the outlier's squared
    // clipping error and may keep it, but never widens the range beyond min-max.
    #expect(percentile.range.upperBound < 5 && percentile.range.upperBound >= 0.98)
    #expect(mse.range.upperBound <= minMax.range.upperBound + 1e-3 && mse.range.upperBound >= 0.9)
    #expect(minMax.zeroPoint == 0 && percentile.zeroPoint == 0)
}

/// A small trained-looking MLP: fixed seeds, evaluated on random inputs.
private func smallMLP() -> Sequential {
    var g = SeededGenerator(seed: 5)
    return Sequential(Flatten(), Dense(inputSize: 64, outputSize: 48, generator: &g), ReLU(),
                      Dense(inputSize: 48, outputSize: 32, generator: &g), ReLU(), Dropout(rate: 0.5),
                      Dense(inputSize: 32, outputSize: 10, generator: &g))
}

private func smallCNN() -> Sequential {
    var g = SeededGenerator(seed: 6)
    let bn = BatchNorm2d(6)
    // Non-trivial running statistics so that folding matters.
    bn.buffers.forEach { name, b in b.value = name == "running_mean" ? Tensor((0..<6).map { Float($0) * 0.1 }) : Tensor((0..<6).map { 0.5 + Float($0) * 0.2 }) }
    let m = Sequential(Conv2D(inputChannels: 2, outputChannels: 6, kernelSize: 3, padding: .same, bias: false, generator: &g), bn, ReLU(),
                       MaxPool2D(kernelSize: 2),
                       Conv2D(inputChannels: 6, outputChannels: 8, kernelSize: 3, stride: 2, generator: &g), ReLU(),
                       Flatten(), Dense(inputSize: 8 * 2 * 2, outputSize: 5, generator: &g))
    m.setTraining(false)
    return m
}

@Test func postTrainingQuantizationTracksTheFloatMLP() throws {
    let model = smallMLP()
    model.setTraining(false)
    for method in [CalibrationMethod.minMax, .percentile(99.99), .mse] {
        let q = try PostTrainingQuantization.quantize(model, calibrationBatches: randomBatches(4, shape: [64, 8, 8], seed: 1), method: method)
        let x = randomBatches(1, shape: [200, 8, 8], seed: 2)[0]
        let (yf, yq) = (model(x), q(x))
        #expect(yq.shape == [200, 10])
        let range = yf.scalars.map(abs).max()!
        #expect(maxAbs(yf, yq) < 0.05 * range, "\(method): max error \(maxAbs(yf, yq)) vs output range \(range)")
        #expect(argmaxAgreement(yf, yq) >= 0.9, "\(method)")
    }
}

@Test func postTrainingQuantizationFoldsBatchNormInTheCNN() throws {
    let model = smallCNN()
    let q = try PostTrainingQuantization.quantize(model, calibrationBatches: randomBatches(3, shape: [16, 2, 12, 12], seed: 3),
                                                  method: .minMax)
    let x = randomBatches(1, shape: [64, 2, 12, 12], seed: 4)[0]
    let (yf, yq) = (model(x), q(x))
    #expect(yq.shape == [64, 5])
    let range = yf.scalars.map(abs).max()!
    #expect(maxAbs(yf, yq) < 0.05 * range, "max error \(maxAbs(yf, yq)) vs output range \(range)")
    // Batches are run in slices; every example's logits equal those of the example run alone.
    let single = (0..<64).flatMap { i in q(Tensor(shape: [1, 2, 12, 12], scalars: Array(x.scalars[i * 288..<(i + 1) * 288]))).scalars }
    #expect(single == yq.scalars)
    // The folded float convolution equals conv → BN in evaluation mode.
    let conv = model.layers[0].layer as! Conv2D, bn = model.layers[1].layer as! BatchNorm2d
    let folded = BatchNormFolding.fold(conv, into: bn)
    #expect(maxAbs(folded(x), bn(conv(x))) < 1e-4)
}

@Test func quantizedLayersMatchFloatLayersStandalone() {
    var g = SeededGenerator(seed: 9)
    let dense = Dense(inputSize: 30, outputSize: 7, generator: &g)
    let conv = Conv2D(inputChannels: 3, outputChannels: 5, kernelSize: 3, padding: .same, generator: &g)
    let xd = Tensor.uniform(shape: [4, 30], low: -1, high: 1, generator: &g)
    let xc = Tensor.uniform(shape: [2, 3, 7, 6], low: -1, high: 1, generator: &g)
    #expect(maxAbs(QuantizedDense(dense, input: nil)(xd), dense(xd)) < 0.03)
    #expect(maxAbs(QuantizedConv2D(conv, input: nil)(xc), conv(xc)) < 0.03)
    let relu = QuantizedDense(dense, input: QuantizationParameters(min: -1, max: 1), fusedReLU: true)
    #expect(maxAbs(relu(xd), dense(xd).relu()) < 0.03)
}

@Test func dynamicQuantizationOfDenseAndLSTM() throws {
    let mlp = Models.mlp(seed: 3)
    mlp.setTraining(false)
    let qm = try DynamicQuantization.quantize(mlp)
    let x = randomBatches(1, shape: [32, 784], seed: 5)[0]
    #expect(maxAbs(qm(x), mlp(x)) < 0.02)
    #expect(qm.layers.contains { $0.layer is QuantizedDense })
    let lstm = Models.lstm(seed: 4)
    lstm.setTraining(false)
    let ql = try DynamicQuantization.quantize(lstm)
    #expect(ql.layers.contains { $0.layer is DynamicQuantizedLSTM })
    let xs = randomBatches(1, shape: [8, 28, 28], seed: 6)[0]
    #expect(maxAbs(ql(xs), lstm(xs)) < 0.02)
}

@Test func quantizationErrorsAreTypedAndWriteNothing() throws {
    let tanh = Sequential(Flatten(), Dense(inputSize: 4, outputSize: 4), Tanh(), Dense(inputSize: 4, outputSize: 2))
    #expect(throws: CompressionError.self) {
        try PostTrainingQuantization.quantize(tanh, calibrationBatches: randomBatches(1, shape: [2, 4], seed: 1))
    }
    do {
        _ = try PostTrainingQuantization.quantize(tanh, calibrationBatches: [])
        Issue.record("expected an error")
    } catch {
        if case .unsupportedLayer(_, let layer, let path) = error { #expect(layer == "Tanh" && path == "2") } else { Issue.record("\(error)") }
    }
    #expect(throws: CompressionError.emptyCalibrationData(stage: "int8 quantization")) {
        try PostTrainingQuantization.quantize(smallMLP(), calibrationBatches: [])
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-q-missing-\(getpid()).safetensors")
    #expect(throws: CompressionError.self) { try QuantizedModelFile.load(from: url) }
    #expect(!FileManager.default.fileExists(atPath: url.path))
}

@Test func quantizedModelFileRoundTripsAndIsFourTimesSmaller() throws {
    let model = Models.mlp(seed: 1)
    model.setTraining(false)
    let q = try PostTrainingQuantization.quantize(model, calibrationBatches: randomBatches(2, shape: [64, 784], seed: 7))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-q-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let qURL = dir.appendingPathComponent("q.safetensors"), fURL = dir.appendingPathComponent("f.safetensors")
    try QuantizedModelFile.save(q, to: qURL)
    try ModelFile.save(model, to: fURL)
    let size = { (u: URL) in try FileManager.default.attributesOfItem(atPath: u.path)[.size] as! Int }
    #expect(Double(try size(fURL)) / Double(try size(qURL)) >= 3.9)
    let back = try QuantizedModelFile.load(from: qURL)
    let x = randomBatches(1, shape: [16, 784], seed: 8)[0]
    #expect(back(x).scalars == q(x).scalars)
    #expect(QuantizedModelFile.isQuantizedModel(at: qURL) && !QuantizedModelFile.isQuantizedModel(at: fURL))
}
