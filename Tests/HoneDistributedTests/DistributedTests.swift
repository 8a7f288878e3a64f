import Foundation
import Testing
import HoneData
import HoneDistributed
import HoneNN
import HoneTensor
import HoneTrain

/// A small, fixed slice of the bundled Fashion-MNIST subset (images as [1, 28, 28]).
func smallData(rows: Int = 384, images: Bool) throws -> InMemoryDataset {
    let d = try BundledData.fashionMNISTSubset().train.selecting(Array(0..<rows))
    return images ? d.reshaped(featureShape: [1, 28, 28]) : d
}

/// Largest |a − b| / max(|b|, tiny) over two equally long arrays.
func maxRelative(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) / max(abs($1), 1e-12) }.max() ?? 0
}

func parameterValues(_ m: any Module) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: m.namedParameters.map { ($0.0, $0.1.value.withUnsafeBufferPointer { Array($0) }) })
}

@Suite struct CommunicatorTests {
    @Test func inProcessCollectivesAgreeOnEveryRank() {
        let out = InProcessGroup.run(size: 3) { comm -> [Float] in
            var a: [Float] = (0..<10).map { Float($0 * (comm.rank + 1)) }
            a.withUnsafeMutableBufferPointer { comm.allreduceSum($0) }
            var b: [Float] = comm.rank == 1 ? [7, 8] : [0, 0]
            b.withUnsafeMutableBufferPointer { comm.broadcast($0, root: 1) }
            let d = comm.allreduceSum([Double(comm.rank)])
            comm.barrier()
            return a + b + [Float(d[0])]
        }
        let expected: [Float] = (0..<10).map { Float($0 * 6) } + [7, 8, 3]
        #expect(out.allSatisfy { $0 == expected })
    }

    @Test func sendAndReceivePairByTag() {
        let out = InProcessGroup.run(size: 2) { comm -> [Float] in
            if comm.rank == 0 {
                [Float(1), 2].withUnsafeBufferPointer { comm.send($0, to: 1, tag: 5) }
                [Float(3)].withUnsafeBufferPointer { comm.send($0, to: 1, tag: 4) }
                return []
            }
            var x = [Float](repeating: 0, count: 1), y = [Float](repeating: 0, count: 2)
            x.withUnsafeMutableBufferPointer { comm.receive($0, from: 0, tag: 4) }
            y.withUnsafeMutableBufferPointer { comm.receive($0, from: 0, tag: 5) }
            return x + y
        }
        #expect(out[1] == [3, 1, 2])
    }
}

@Suite struct DataParallelTests {
    /// N ranks with the same global batch follow single-process `fit`: per-batch losses within
    /// 1e-5 relative, the same accuracy, and replicas that stay identical.
    @Test(arguments: [("mlp", 2), ("cnn", 2), ("mlp", 3)])
    func matchesSingleProcessTraining(model: String, ranks: Int) throws {
        let data = try smallData(images: model == "cnn")
        @Sendable func build() -> Sequential { model == "mlp" ? Models.mlp(seed: 5) : Models.cnn(seed: 5) }
        let reference = build()
        let recorder = LossRecorder()
        let refLogs = try fit(reference, optimizer: Optimizer(reference, sgd(learningRate: 0.05)), data: data, epochs: 1,
                              batchSize: 64, callbacks: [recorder], seed: 11, prefetch: 0)
        let results = try InProcessGroup.run(size: ranks) { comm -> ([Double], Double, [String: [Float]]) in
            let net = build()
            let trainer = DataParallelTrainer(model: net, optimizer: Optimizer(net, sgd(learningRate: 0.05)), communicator: comm)
            let losses = Locked<[Double]>([])
            // Small buckets so several all-reduces run per step.
            var options = DataParallelOptions(epochs: 1, globalBatchSize: 64, seed: 11)
            options.bucketCapacity = 50_000
            let logs = try trainer.fit(data, options, onBatch: { _, l in losses.mutate { $0.append(l) } })
            return (losses.value, logs[0]["accuracy"]!, parameterValues(net))
        }
        for (losses, accuracy, params) in results {
            #expect(losses.count == recorder.losses.count)
            #expect(maxRelative(losses, recorder.losses) < 1e-5, "max relative loss difference \(maxRelative(losses, recorder.losses))")
            #expect(abs(accuracy - refLogs[0]["accuracy"]!) <= 0.001)
            #expect(params == results[0].2, "replicas diverged")
        }
    }

    /// Rank 0 checkpoints after every epoch; a run resumed from epoch 1's checkpoint ends with
    /// the same weights as an uninterrupted two-epoch run (plain SGD has no optimizer state).
    @Test func checkpointAndResume() throws {
        let data = try smallData(rows: 256, images: false)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-dp-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func train(epochs: Int, checkpoint: URL?, resume: Bool) throws -> [String: [Float]] {
            try InProcessGroup.run(size: 2) { comm in
                let net = Models.mlp(seed: 9)
                let trainer = DataParallelTrainer(model: net, optimizer: Optimizer(net, sgd(learningRate: 0.05)), communicator: comm)
                var o = DataParallelOptions(epochs: epochs, globalBatchSize: 32, seed: 4)
                o.checkpoint = checkpoint; o.resume = resume
                try trainer.fit(data, o)
                return parameterValues(net)
            }[0]
        }
        let straight = try train(epochs: 2, checkpoint: nil, resume: false)
        let ckpt = dir.appendingPathComponent("model.safetensors")
        _ = try train(epochs: 1, checkpoint: ckpt, resume: false)
        #expect(try SafeTensors.read(from: ckpt).metadata["hone.epoch"] == "1")
        let resumed = try train(epochs: 2, checkpoint: ckpt, resume: true)
        #expect(resumed == straight)
        #expect(try SafeTensors.read(from: ckpt).metadata["hone.epoch"] == "2")
    }
}

@Suite struct PipelineTests {
    /// A model cut into stages over 2 (or 3) ranks with micro-batches accumulates the same
    /// gradients as the whole model on the whole batch, within 1e-5 (relative to each tensor's
    /// largest gradient).
    @Test(arguments: [("mlp", 2, 4), ("cnn", 2, 3), ("cnn", 3, 2)])
    func gradientsMatchTheWholeModel(model: String, ranks: Int, micro: Int) throws {
        let data = try smallData(rows: 48, images: model == "cnn")
        let batch = data.gather(Array(0..<48))
        let x = Tensor(shape: batch.shape, scalars: batch.features)
        @Sendable func build() -> Sequential { model == "mlp" ? Models.mlp(seed: 3) : Models.cnn(seed: 3) }
        let reference = build()
        let refLoss = crossEntropyLoss(reference(x), batch.labels)
        refLoss.backward()
        let refGrads = Dictionary(uniqueKeysWithValues: reference.namedParameters.map {
            ($0.0, $0.1.grad!.withUnsafeBufferPointer { Array($0) })
        })
        let results = InProcessGroup.run(size: ranks) { comm -> ([String: [Float]], Double?) in
            let net = build()
            let n = net.layers.count
            let stage = PipelineStage(model: net, cuts: (1..<ranks).map { $0 * n / ranks }, communicator: comm)
            let loss = stage.forwardBackward(input: comm.rank == 0 ? x : nil, labels: batch.labels, microBatches: micro)
            let grads = Dictionary(uniqueKeysWithValues: stage.namedParameters.map {
                ($0.0, $0.1.grad!.withUnsafeBufferPointer { Array($0) })
            })
            return (grads, loss)
        }
        var seen = Set<String>()
        for (grads, _) in results {
            for (name, g) in grads {
                seen.insert(name)
                let r = try #require(refGrads[name], "unknown parameter \(name)")
                let scale = Double(r.map { abs($0) }.max() ?? 0)
                let worst = zip(g, r).map { Double(abs($0 - $1)) }.max() ?? 0
                #expect(worst <= 1e-5 * max(scale, 1e-12), "\(name): max difference \(worst), scale \(scale)")
            }
        }
        #expect(seen == Set(refGrads.keys), "every parameter lives on exactly one stage")
        let loss = try #require(results.last?.1)
        #expect(abs(loss - Double(refLoss.scalar)) <= 1e-5 * abs(Double(refLoss.scalar)))
    }
}

final class LossRecorder: Callback {
    var losses: [Double] = []
    func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws { losses.append(loss) }
}

final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var v: T
    init(_ v: T) { self.v = v }
    var value: T { lock.lock(); defer { lock.unlock() }; return v }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&v); lock.unlock() }
}
