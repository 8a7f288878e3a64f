import Foundation
import Testing
import HoneData
import HoneNN
import HoneTensor
import HoneTrain

@Suite struct FitTests {
    @Test func learnsSeparableBlobsAndReportsEveryFigure() throws {
        let train = Blobs.dataset(count: 600, seed: 1), test = Blobs.dataset(count: 300, seed: 2)
        let model = Blobs.model()
        let history = try fit(model, optimizer: Optimizer(model, adam(learningRate: 1e-2)), data: train,
                              epochs: 5, batchSize: 32, validation: .data(test), seed: 3)
        #expect(history.count == 5)
        #expect(history.map(\.epoch) == [1, 2, 3, 4, 5])
        let last = history.last!
        for key in ["loss", "accuracy", "val_loss", "val_accuracy", "samples_per_s", "seconds"] {
            #expect(last[key] != nil, "missing \(key)")
        }
        #expect(last["loss"]! < history.first!["loss"]!)
        #expect(last["val_accuracy"]! > 0.95)
        let e = evaluate(model, data: test)
        #expect(e.count == 300)
        #expect(abs(e.accuracy! - last["val_accuracy"]!) < 1e-12)
        #expect(model.isTraining)   // mode restored
    }

    @Test func sameSeedGivesABitIdenticalLossCurve() throws {
        func curve() throws -> ([Double], [Float]) {
            let model = Sequential(Dense(inputSize: 4, outputSize: 32, seed: 5), ReLU(), Dropout(rate: 0.2, seed: 9),
                                   Dense(inputSize: 32, outputSize: 3, seed: 6))
            let h = try fit(model, optimizer: Optimizer(model, chain(clipByGlobalNorm(1), adamW(learningRate: 3e-3))),
                            data: Blobs.dataset(count: 500, seed: 4), epochs: 4, batchSize: 16,
                            validation: .split(fraction: 0.2), seed: 11)
            return (h.flatMap { [$0["loss"]!, $0["val_loss"]!] }, model.namedParameters.flatMap { $0.1.value.scalars })
        }
        let (a, wa) = try curve(), (b, wb) = try curve()
        #expect(a == b)
        #expect(wa == wb)
        // A different seed shuffles differently.
        let model = Blobs.model()
        let other = try fit(model, optimizer: Optimizer(model, adam(learningRate: 3e-3)),
                            data: Blobs.dataset(count: 500, seed: 4), epochs: 1, batchSize: 16, seed: 12)
        #expect(other[0]["loss"] != a[0])
    }

    @Test func validationSplitHoldsOutAStratifiedFraction() throws {
        let model = Blobs.model()
        let h = try fit(model, optimizer: Optimizer(model, sgd(learningRate: 0.1)), data: Blobs.dataset(count: 300, seed: 1),
                        epochs: 1, batchSize: 50, validation: .split(fraction: 0.2))
        #expect(h[0]["val_loss"] != nil)
        // 240 training examples at batch 50: 5 batches; throughput counts 240 samples.
        #expect(abs(h[0]["samples_per_s"]! * h[0]["seconds"]! - 240) < 1e-6)
    }

    @Test func predictReturnsOutputsInDatasetOrder() {
        let data = Blobs.dataset(count: 70, seed: 8)
        let model = Blobs.model()
        let all = predict(model, data: data, batchSize: 32)
        #expect(all.shape == [70, 3])
        let direct = withoutGradient { model(Tensor(shape: [70, 4], scalars: data.features)) }
        let a = all.scalars, b = direct.scalars
        #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 })
        let fromTensor = predict(model, inputs: Tensor(shape: [70, 4], scalars: data.features), batchSize: 16)
        #expect(zip(fromTensor.scalars, b).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func badArgumentsThrowNamedErrors() {
        let model = Blobs.model(), data = Blobs.dataset(count: 30, seed: 1)
        let opt = Optimizer(model, sgd(learningRate: 0.1))
        #expect(throws: TrainingError.invalidArgument(name: "epochs", reason: "must be ≥ 1, got 0")) {
            try fit(model, optimizer: opt, data: data, epochs: 0, batchSize: 8)
        }
        #expect(throws: TrainingError.self) {
            try fit(model, optimizer: opt, data: data, epochs: 1, batchSize: 8, validation: .split(fraction: 1.5))
        }
    }
}
