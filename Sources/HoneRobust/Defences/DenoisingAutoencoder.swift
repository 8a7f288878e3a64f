import HoneData
import HoneNN
import HoneRandom
import HoneTensor

/// An input-denoising defence: a dense autoencoder (784 → hidden → code → hidden → 784, ReLU,
/// sigmoid output in [0, 1]) trained to map corrupted images back to clean ones, placed in front
/// of the classifier (MagNet, Meng & Chen 2017; the denoiser of Liao et al. 2018). The defended
/// model is an ordinary differentiable `Layer` (`Sequential(denoiser, classifier)`), so gradient
/// attacks go through the whole pipeline — evaluating the classifier alone would overstate the
/// defence (Athalye, Carlini & Wagner 2018).
///
/// ```swift
/// let dae = DenoisingAutoencoder(imageShape: [1, 28, 28], seed: 1)
/// try dae.train(on: train, corruption: .gaussian(std: 0.2), epochs: 3)
/// let defended = dae.defending(classifier)
/// ```
public final class DenoisingAutoencoder: Layer {
    public let imageShape: [Int]
    public let network: Sequential
    public var isTraining = true
    public var children: [(String, any Module)] { [("network", network)] }

    /// What the denoiser is trained to undo.
    public enum Corruption {
        /// clamp(x + N(0, σ²)).
        case gaussian(std: Float)
        /// Adversarial examples of `attack` against `classifier` (half the batch) plus
        /// Gaussian noise (the other half).
        case adversarial(attack: any Attack, classifier: any Layer, std: Float)
    }

    public init(imageShape: [Int] = [1, 28, 28], hidden: Int = 512, code: Int = 128, seed: UInt64 = 0) {
        self.imageShape = imageShape
        let d = imageShape.reduce(1, *)
        var g = SeededGenerator(seed: seed)
        network = Sequential(
            Flatten(),
            Dense(inputSize: d, outputSize: hidden, generator: &g), ReLU(),
            Dense(inputSize: hidden, outputSize: code, generator: &g), ReLU(),
            Dense(inputSize: code, outputSize: hidden, generator: &g), ReLU(),
            Dense(inputSize: hidden, outputSize: d, generator: &g), Sigmoid(),
            Reshape(imageShape))
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { network(x) }

    /// The defended classifier: denoiser, then `classifier`.
    public func defending(_ classifier: any Layer) -> Sequential {
        Sequential(named: [("denoiser", self), ("classifier", classifier)])
    }

    /// Trains the denoiser with Adam on mean squared error between its output for corrupted
    /// inputs and the clean inputs. Returns the mean training loss of each epoch.
    @discardableResult
    public func train<D: Dataset>(on data: D, corruption: Corruption, epochs: Int, batchSize: Int = 128,
                                  learningRate: Double = 1e-3, seed: UInt64 = 0) throws -> [Double] {
        guard epochs >= 1 else { throw RobustnessError.invalidArgument(name: "epochs", value: "\(epochs)", expected: "epochs ≥ 1") }
        guard batchSize >= 1 else {
            throw RobustnessError.invalidArgument(name: "batch_size", value: "\(batchSize)", expected: "batch_size ≥ 1")
        }
        let optimizer = Optimizer(self, adam(learningRate: .constant(learningRate)))
        let loader = DataLoader(dataset: data, batchSize: batchSize, shuffle: true, seed: seed, prefetch: 0)
        let std: Float
        switch corruption {
        case let .gaussian(s): std = s
        case let .adversarial(_, _, s): std = s
        }
        let noise = try GaussianNoiseAugmentation(std: std, seed: seed)
        var losses: [Double] = []
        setTraining(true)
        defer { setTraining(false) }
        for epoch in 0..<epochs {
            var sum = 0.0, count = 0
            for batch in loader.batches(epoch: epoch) {
                let clean = Tensor(shape: [batch.count] + imageShape, scalars: batch.features)
                var corrupted = noise.corrupt(clean)
                if case let .adversarial(attack, classifier, _) = corruption {
                    let half = batch.count / 2
                    if half > 0 {
                        let parts = clean.split(sizes: [half, batch.count - half], axis: 0)
                        let adv = try attack.perturb(classifier, inputs: parts[0], labels: Array(batch.labels[0..<half]))
                        corrupted = Tensor.concat([adv, corrupted.split(sizes: [half, batch.count - half], axis: 0)[1]], axis: 0)
                    }
                }
                let l = Loss.meanSquaredError(self(corrupted), clean)
                l.backward()
                sum += Double(l.scalar) * Double(batch.count); count += batch.count
                optimizer.step()
            }
            losses.append(sum / Double(max(count, 1)))
        }
        return losses
    }
}
