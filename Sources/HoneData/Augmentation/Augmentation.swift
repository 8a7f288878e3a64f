import HoneRandom

/// The layout of one image inside a batch: `channels × height × width`, C order (CHW). A dataset
/// whose examples are `[H, W]` is read as one channel; `[C, H, W]` as C channels.
public struct ImageShape: Sendable, Equatable {
    public var channels: Int, height: Int, width: Int

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// The image layout of examples of shape `featureShape` (`[H, W]` or `[C, H, W]`).
    public init(featureShape: [Int]) {
        switch featureShape.count {
        case 2: self.init(channels: 1, height: featureShape[0], width: featureShape[1])
        case 3: self.init(channels: featureShape[0], height: featureShape[1], width: featureShape[2])
        default: preconditionFailure("ImageShape: augmentation needs examples of shape [H, W] or [C, H, W], got \(featureShape)")
        }
    }

    public var count: Int { channels * height * width }
}

/// A random, per-image transformation for training-time data augmentation: the one protocol an
/// augmentation implements. It must draw its random numbers only from `generator`, so that the
/// same seed gives the same images.
///
/// ```swift
/// struct Invert: ImageAugmentation {
///     func apply(to image: UnsafeMutableBufferPointer<Float>, shape: ImageShape, using generator: inout SeededGenerator) {
///         if generator.nextFloat() < 0.5 { for i in image.indices { image[i] = 1 - image[i] } }
///     }
/// }
/// ```
public protocol ImageAugmentation: Sendable {
    /// Transforms one CHW image in place.
    func apply(to image: UnsafeMutableBufferPointer<Float>, shape: ImageShape, using generator: inout SeededGenerator)
}

/// A sequence of augmentations applied to every image of a batch. Image `i` of a batch uses its
/// own random stream, derived from the seed, the epoch and the image's dataset index, so results
/// do not depend on batch size, batch order or threads.
///
/// ```swift
/// let augment = AugmentationPipeline([RandomCrop(padding: 2), HorizontalFlip(), GaussianNoise(standardDeviation: 0.01)])
/// let loader = DataLoader(dataset: train, batchSize: 128, seed: 1, augmentation: augment)
/// ```
public struct AugmentationPipeline: Sendable {
    public let steps: [any ImageAugmentation]

    public init(_ steps: [any ImageAugmentation]) { self.steps = steps }

    /// Augments every image of `batch` in place.
    public func apply(to batch: inout Batch, seed: UInt64, epoch: Int) {
        let shape = ImageShape(featureShape: Array(batch.shape.dropFirst()))
        let width = shape.count
        let base = seed ^ stableHash("hone.augmentation")
        let indices = batch.indices
        batch.features.withUnsafeMutableBufferPointer { all in
            for (row, index) in indices.enumerated() {
                var generator = SeededGenerator(seed: base, stream: Self.stream(epoch: epoch, index: index))
                let image = UnsafeMutableBufferPointer(rebasing: all[(row * width)..<((row + 1) * width)])
                for step in steps { step.apply(to: image, shape: shape, using: &generator) }
            }
        }
    }

    /// The random stream of dataset example `index` in epoch `epoch`.
    static func stream(epoch: Int, index: Int) -> UInt64 {
        (UInt64(truncatingIfNeeded: epoch) << 40) ^ UInt64(truncatingIfNeeded: index) ^ 0x5EED
    }
}
