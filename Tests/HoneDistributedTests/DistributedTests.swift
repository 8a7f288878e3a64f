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

    /// Against a single process that computes every global batch as the ranks do (per-shard
    /// gradients, weighted and summed in rank order), data-parallel training with Adam is
    /// identical to the bit: same per-step losses, same final weights.
    @Test(arguments: [("mlp", 2), ("cnn", 2), ("mlp", 3)])
    func equalsTheShardAccumulatingReferenceBitForBit(model: String, ranks: Int) throws {
        let data = try smallData(images: model == "cnn")
        @Sendable func build() -> Sequential { model == "mlp" ? Models.mlp(seed: 5) : Models.cnn(seed: 5) }
        let options = {
            var o = DataParallelOptions(epochs: 1, globalBatchSize: 60, seed: 11)   // 384 rows: a short last batch
            o.bucketCapacity = 40_000
            return o
        }()
        let reference = build()
        var refLosses: [Double] = []
        let refLogs = try ShardAccumulatingReference.fit(reference, optimizer: Optimizer(reference, adam(learningRate: 1e-3)),
                                                         data: data, options: options, ranks: ranks,
                                                         onBatch: { _, l in refLosses.append(l) })
        let results = try InProcessGroup.run(size: ranks) { comm -> ([Double], EpochLog, [String: [Float]]) in
            let net = build()
            let trainer = DataParallelTrainer(model: net, optimizer: Optimizer(net, adam(learningRate: 1e-3)), communicator: comm)
            let losses = Locked<[Double]>([])
            let logs = try trainer.fit(data, options, onBatch: { _, l in losses.mutate { $0.append(l) } })
            return (losses.value, logs[0], parameterValues(net))
        }
        #expect(refLosses.count == 7)
        for (losses, log, params) in results {
            #expect(losses == refLosses)
            #expect(log["loss"] == refLogs[0]["loss"] && log["accuracy"] == refLogs[0]["accuracy"])
            #expect(params == parameterValues(reference))
        }
    }

    /// All-reducing each bucket during backward (as soon as its gradients are final) gives the
    /// same bits as all-reducing after backward; with small buckets several reductions start
    /// while backward is still running.
    @Test func overlappingTheAllreduceWithBackwardChangesNoBits() throws {
        let data = try smallData(rows: 192, images: true)
        func train(overlap: Bool) throws -> [String: [Float]] {
            try InProcessGroup.run(size: 2) { comm in
                let net = Models.cnn(seed: 2)
                let trainer = DataParallelTrainer(model: net, optimizer: Optimizer(net, adam(learningRate: 1e-3)), communicator: comm)
                var o = DataParallelOptions(epochs: 1, globalBatchSize: 64, seed: 1)
                o.bucketCapacity = 20_000
                o.overlapBackward = overlap
                try trainer.fit(data, o)
                return parameterValues(net)
            }[0]
        }
        #expect(try train(overlap: true) == train(overlap: false))
    }

    /// The reducer starts bucket all-reduces from inside backward, in bucket order, and before
    /// the sweep is over: a communicator that records when each reduction starts sees the
    /// first bucket (the last layers) start while earlier layers' gradients are still missing.
    @Test func bucketsStartDuringBackwardInOrder() throws {
        let data = try smallData(rows: 32, images: true)
        let batch = data.gather(Array(0..<32))
        let x = Tensor(shape: batch.shape, scalars: batch.features)
        let net = Models.cnn(seed: 4)
        let first = net.trainableParameters[0].1   // conv1's weight: its gradient comes last
        let spy = SpyCommunicator { first.grad != nil }
        let reducer = GradientReducer(model: net, communicator: spy, bucketCapacity: 20_000)
        #expect(reducer.bucketCount >= 3)
        reducer.backward(crossEntropyLoss(net(x), batch.labels), weight: 1)
        #expect(spy.started.count == reducer.bucketCount)
        #expect(spy.started.first == false, "the first bucket started only after conv1's gradient existed")
        #expect(spy.started.last == true)
        let reference = Models.cnn(seed: 4)
        crossEntropyLoss(reference(x), batch.labels).backward()
        #expect(parameterValues(net).keys == parameterValues(reference).keys)
        for ((_, p), (_, r)) in zip(net.namedParameters, reference.namedParameters) {
            #expect(p.grad!.withUnsafeBufferPointer { Array($0) } == r.grad!.withUnsafeBufferPointer { Array($0) })
        }
    }

    /// Rank 0 checkpoints the model and the optimizer state after every epoch; a run resumed
    /// from epoch 1's checkpoint ends with the same bits as an uninterrupted two-epoch run, with
    /// Adam (whose moments and step count must be restored for that).
    @Test func checkpointAndResume() throws {
        let data = try smallData(rows: 256, images: false)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-dp-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func train(epochs: Int, checkpoint: URL?, resume: Bool) throws -> [String: [Float]] {
            try InProcessGroup.run(size: 2) { comm in
                let net = Models.mlp(seed: 9)
                let trainer = DataParallelTrainer(model: net, optimizer: Optimizer(net, adam(learningRate: 1e-3)), communicator: comm)
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
        let optimizerFile = TrainingCheckpoint.optimizerURL(for: ckpt)
        #expect(optimizerFile.lastPathComponent == "model.optimizer.safetensors")
        let saved = try #require(try TrainingCheckpoint.readOptimizerState(for: ckpt, epoch: 1))
        #expect(saved.step == 8 && saved.parameterSteps.allSatisfy { $0 == 8 })   // 256 rows / 32
        let resumed = try train(epochs: 2, checkpoint: ckpt, resume: true)
        #expect(resumed == straight)
        #expect(try SafeTensors.read(from: ckpt).metadata["hone.epoch"] == "2")
        #expect(try TrainingCheckpoint.readOptimizerState(for: ckpt, epoch: 2)?.step == 16)
        // No temporary files are left behind by the atomic writes.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
                == ["model.optimizer.safetensors", "model.safetensors"])
        // Weights alone (the optimizer file lost) resume with fresh Adam state: different bits.
        try FileManager.default.removeItem(at: optimizerFile)
        _ = try train(epochs: 1, checkpoint: ckpt, resume: false)
        try FileManager.default.removeItem(at: optimizerFile)
        #expect(try train(epochs: 2, checkpoint: ckpt, resume: true) != straight)
    }

    /// An optimizer file from another epoch than the model file is refused, on every rank.
    @Test func mismatchedOptimizerCheckpointIsRefused() throws {
        let data = try smallData(rows: 64, images: false)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-dp-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ckpt = dir.appendingPathComponent("m.safetensors")
        func run(epochs: Int, resume: Bool) throws {
            _ = try InProcessGroup.run(size: 2) { comm in
                let net = Models.mlp(seed: 1)
                var o = DataParallelOptions(epochs: epochs, globalBatchSize: 32, seed: 4)
                o.checkpoint = ckpt; o.resume = resume
                try DataParallelTrainer(model: net, optimizer: Optimizer(net, adam()), communicator: comm).fit(data, o)
            }
        }
        try run(epochs: 2, resume: false)
        let epoch2 = try Data(contentsOf: TrainingCheckpoint.optimizerURL(for: ckpt))
        try run(epochs: 1, resume: false)
        try epoch2.write(to: TrainingCheckpoint.optimizerURL(for: ckpt))
        #expect(throws: TrainingError.self) { try run(epochs: 3, resume: true) }
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

/// A one-rank communicator that records, for each started all-reduce, whether `probe()` held.
final class SpyCommunicator: Communicator {
    let rank = 0, size = 1
    private let probe: () -> Bool
    var started: [Bool] = []
    init(probe: @escaping () -> Bool) { self.probe = probe }
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {}
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) {}
    func startAllreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) -> PendingCollective {
        started.append(probe())
        return CompletedCollective()
    }
    func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int) {}
    func barrier() {}
    func send(_ buffer: UnsafeBufferPointer<Float>, to: Int, tag: Int) {}
    func receive(_ buffer: UnsafeMutableBufferPointer<Float>, from: Int, tag: Int) {}
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
