import HoneNN
import HoneRandom
import HoneTensor
import Testing

@Suite("Layer shapes, modes and bookkeeping")
struct LayerTests {
    @Test func outputShapes() {
        let x = Tensor.zeros([2, 3, 9, 9])
        #expect(Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: 3)(x).shape == [2, 4, 7, 7])
        #expect(Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, padding: .same)(x).shape == [2, 4, 9, 9])
        #expect(Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, stride: 2, padding: .explicit(1))(x).shape == [2, 4, 5, 5])
        #expect(Conv2D(inputChannels: 3, outputChannels: 6, kernelSize: 3, padding: .same, dilation: 2, groups: 3)(x).shape == [2, 6, 9, 9])
        #expect(MaxPool2D(kernelSize: 2)(x).shape == [2, 3, 4, 4])
        #expect(AvgPool2D(kernelSize: 3, stride: 2, padding: 1)(x).shape == [2, 3, 5, 5])
        #expect(GlobalAvgPool()(x).shape == [2, 3])
        #expect(Flatten()(x).shape == [2, 243])
        #expect(Reshape([27, 9])(x).shape == [2, 27, 9])
        #expect(Dense(inputSize: 9, outputSize: 5)(x).shape == [2, 3, 9, 5])
        #expect(LSTM(inputSize: 9, hiddenSize: 7)(Tensor.zeros([2, 27, 9])).shape == [2, 7])
        #expect(GRU(inputSize: 9, hiddenSize: 7, returnSequences: true)(Tensor.zeros([2, 27, 9])).shape == [2, 27, 7])
        #expect(Embedding(count: 10, dimension: 4).lookup([1, 2, 3, 4, 5, 6], shape: [2, 3]).shape == [2, 3, 4])
        for act in [ReLU(), LeakyReLU(), ELU(), GELU(), Sigmoid(), Tanh(), Softmax(axis: 1)] as [any Layer] {
            #expect(act(x).shape == x.shape)
        }
    }

    @Test func convolutionMatchesDirectSum() {
        let conv = Conv2D(inputChannels: 2, outputChannels: 1, kernelSize: 2, seed: 3)
        let x = randomTensor([1, 2, 3, 3], seed: 5)
        let y = conv(x)
        let w = conv.weight.value, b = conv.bias!.value.scalar
        var expected: Float = b
        for c in 0..<2 { for i in 0..<2 { for j in 0..<2 {
            expected += w.element(at: [0, c, i, j]) * x.element(at: [0, c, 1 + i, 1 + j])
        } } }
        #expect(abs(y.element(at: [0, 0, 1, 1]) - expected) < 1e-5)
    }

    @Test func sequentialNamesAndFreezing() {
        let named = Sequential(named: [("conv1", Conv2D(inputChannels: 1, outputChannels: 2, kernelSize: 3)),
                                       ("bn1", BatchNorm2d(2)), ("relu", ReLU())])
        #expect(named.namedParameters.map(\.0) == ["conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias"])
        #expect(named.namedBuffers.map(\.0) == ["bn1.running_mean", "bn1.running_var"])
        let model = Models.mlp(seed: 1)
        #expect(model.namedParameters.map(\.0) == ["1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias"])
        model.freeze(["1."])
        #expect(model.trainableParameters.map(\.0) == ["3.weight", "3.bias", "5.weight", "5.bias"])
        let loss = Loss.crossEntropy(logits: model(randomTensor([4, 784], seed: 1)), labels: [1, 2, 3, 4])
        loss.backward()
        #expect(model.namedParameters[0].1.grad == nil)
        #expect(model.namedParameters[2].1.grad != nil)
        let residual = Residual(Sequential(Dense(inputSize: 4, outputSize: 4), ReLU()), shortcut: Dense(inputSize: 4, outputSize: 4))
        #expect(residual.namedParameters.map(\.0) == ["body.0.weight", "body.0.bias", "shortcut.weight", "shortcut.bias"])
        #expect(residual(Tensor.ones([2, 4])).shape == [2, 4])
    }

    @Test func residualAddsTheShortcut() {
        let body = Dense(inputSize: 3, outputSize: 3, seed: 2)
        let x = randomTensor([2, 3], seed: 3)
        let y = Residual(body)(x)
        #expect(zip(y.scalars, (body(x) + x).scalars).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func summaryParameterCounts() {
        let mlp = Models.mlp(seed: 0).summary(inputShape: [784])
        #expect(mlp.totalParameters == 235_146)
        #expect(mlp.rows.last?.outputShape == [-1, 10])
        let cnn = Models.cnn(seed: 0).summary(inputShape: [1, 28, 28])
        #expect(cnn.totalParameters == 225_034)
        #expect(cnn.rows.map(\.outputShape)[6] == [-1, 1600])
        #expect(cnn.description.contains("Total params: 225,034"))
        #expect(Models.lstm(seed: 0).summary(inputShape: [1, 28, 28]).totalParameters == 4 * 128 * (28 + 128 + 2) + 1290)
        let wide = Models.wideCNN(seed: 0)
        wide.freeze(["0."])
        let s = wide.summary(inputShape: [1, 28, 28])
        #expect(s.rows.last?.outputShape == [-1, 10])
        #expect(s.nonTrainableParameters == 32 * 9)
        #expect(s.totalParameters == 871_082)
        #expect(Models.leNet5().summary(inputShape: [1, 28, 28]).totalParameters == 61_706)
        #expect(Models.vgg(.vgg11, widthMultiplier: 0.25).summary(inputShape: [3, 32, 32]).rows.last?.outputShape == [-1, 10])
        #expect(Models.vgg(.vgg16, widthMultiplier: 0.125).summary(inputShape: [3, 32, 32]).rows.last?.outputShape == [-1, 10])
        // ResNet-20 (He et al. Table 6: 0.27M parameters).
        let r20 = Models.resNet(blocksPerStage: 3).summary(inputShape: [3, 32, 32])
        #expect(r20.rows.last?.outputShape == [-1, 10])
        #expect(r20.totalParameters > 260_000 && r20.totalParameters < 280_000)
    }

    @Test func summaryLeavesStateUntouched() {
        let model = Models.wideCNN(seed: 0)
        model.setTraining(true)
        let before = model.namedBuffers.map { $0.1.value.scalars }
        _ = model.summary(inputShape: [1, 28, 28])
        #expect(model.namedBuffers.map { $0.1.value.scalars } == before)
        #expect(model.layers.allSatisfy { $0.layer.isTraining })
    }

    @Test func batchNormRunningStatisticsFollowPyTorchFormulas() {
        let bn = BatchNorm1d(2, momentum: 0.3)
        let x = Tensor(shape: [4, 2], scalars: [1, 10, 2, 20, 3, 30, 6, 40])
        _ = bn(x)
        // r ← 0.7·r + 0.3·batch, starting from mean 0 and var 1, with the unbiased batch variance.
        // Channel 0: mean 3, unbiased var (4 + 1 + 0 + 9)/3; channel 1: mean 25, (225 + 25 + 25 + 225)/3.
        let m1 = Float(25), v1 = Float((225 + 25 + 25 + 225) / 3.0)
        let expectedMean: [Float] = [0.3 * 3, 0.3 * m1]
        let expectedVar: [Float] = [0.7 + 0.3 * 14 / 3, 0.7 + 0.3 * v1]
        #expect(zip(bn.runningMean.scalars, expectedMean).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(zip(bn.runningVariance.scalars, expectedVar).allSatisfy { abs($0 - $1) < 1e-4 })
        bn.isTraining = false
        let y = bn(x)
        let expected = (x.element(at: [0, 0]) - expectedMean[0]) / (expectedVar[0] + 1e-5).squareRoot()
        #expect(abs(y.element(at: [0, 0]) - expected) < 1e-5)
    }

    @Test func dropoutIsSeededScaledAndOffInEvaluation() {
        let x = Tensor.ones([1000])
        let a = Dropout(rate: 0.3, seed: 5)(x).scalars, b = Dropout(rate: 0.3, seed: 5)(x).scalars
        #expect(a == b)
        #expect(Set(a).isSubset(of: [0, 1 / 0.7]))
        let zeros = a.filter { $0 == 0 }.count
        #expect(zeros > 230 && zeros < 370)
        let d = Dropout(rate: 0.3, seed: 5)
        d.isTraining = false
        #expect(d(x).scalars == x.scalars)
    }

    @Test func modelsAreReproducibleFromTheSeed() {
        #expect(Models.cnn(seed: 3).namedParameters.map { $0.1.value.scalars } == Models.cnn(seed: 3).namedParameters.map { $0.1.value.scalars })
        #expect(Models.cnn(seed: 3).namedParameters[0].1.value.scalars != Models.cnn(seed: 4).namedParameters[0].1.value.scalars)
    }
}
