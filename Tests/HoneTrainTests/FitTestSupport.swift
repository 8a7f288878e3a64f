import HoneData
import HoneNN
import HoneRandom
import HoneTensor
import HoneTrain

/// Three Gaussian blobs in 4-D (well separated), generated from a seed.
enum Blobs {
    static func dataset(count: Int, seed: UInt64) -> InMemoryDataset {
        var g = SeededGenerator(seed: seed)
        let centers: [[Float]] = [[2, 0, 0, 1], [0, 2, -1, 0], [-2, -1, 1, 0]]
        var features: [Float] = [], labels: [Int32] = []
        for i in 0..<count {
            let c = i % 3
            for d in 0..<4 { features.append(centers[c][d] + Float(g.uniform(-1, 1)) * 0.8) }
            labels.append(Int32(c))
        }
        return InMemoryDataset(features: features, featureShape: [4], labels: labels, classCount: 3)
    }

    static func model(seed: UInt64 = 1) -> Sequential {
        Sequential(Dense(inputSize: 4, outputSize: 16, seed: seed), ReLU(), Dense(inputSize: 16, outputSize: 3, seed: seed + 1))
    }
}

/// Records a copy of every parameter after each epoch.
final class ParameterRecorder: Callback {
    var perEpoch: [[[Float]]] = []
    func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {
        perEpoch.append(state.model.namedParameters.map { $0.1.value.scalars })
    }
}

/// Writes scripted values into the epoch log under `name`.
final class ScriptedFigure: Callback {
    let name: String, values: [Double]
    init(_ name: String, _ values: [Double]) { self.name = name; self.values = values }
    func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws { log[name] = values[log.epoch - 1] }
}
