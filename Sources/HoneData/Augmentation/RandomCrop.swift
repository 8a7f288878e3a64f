import HoneRandom

/// Random crop with zero padding (the CIFAR recipe of He et al. 2016, §4.2; torchvision's
/// `RandomCrop(size, padding)`): pad each side by `padding` pixels of `fill`, then cut an
/// image of the original size at a uniformly random offset in `0…2·padding` on each axis.
///
/// ```swift
/// let crop = RandomCrop(padding: 4)     // CIFAR-10: 40×40 padded, random 32×32 window
/// ```
public struct RandomCrop: ImageAugmentation {
    public let padding: Int
    public let fill: Float

    public init(padding: Int, fill: Float = 0) {
        precondition(padding >= 0, "RandomCrop: padding must be ≥ 0, got \(padding)")
        self.padding = padding
        self.fill = fill
    }

    public func apply(to image: UnsafeMutableBufferPointer<Float>, shape: ImageShape, using generator: inout SeededGenerator) {
        let dy = generator.int(in: 0...(2 * padding)) - padding
        let dx = generator.int(in: 0...(2 * padding)) - padding
        if dy == 0 && dx == 0 { return }
        let source = Array(image)
        let (h, w) = (shape.height, shape.width)
        for c in 0..<shape.channels {
            let plane = c * h * w
            for y in 0..<h {
                let sy = y + dy
                for x in 0..<w {
                    let sx = x + dx
                    image[plane + y * w + x] = (sy >= 0 && sy < h && sx >= 0 && sx < w) ? source[plane + sy * w + sx] : fill
                }
            }
        }
    }
}

/// Mirrors the image left–right with probability `probability` (torchvision's
/// `RandomHorizontalFlip`).
///
/// ```swift
/// let flip = HorizontalFlip(probability: 0.5)
/// ```
public struct HorizontalFlip: ImageAugmentation {
    public let probability: Double

    public init(probability: Double = 0.5) {
        precondition((0...1).contains(probability), "HorizontalFlip: probability must be in [0, 1], got \(probability)")
        self.probability = probability
    }

    public func apply(to image: UnsafeMutableBufferPointer<Float>, shape: ImageShape, using generator: inout SeededGenerator) {
        guard generator.nextDouble() < probability else { return }
        let w = shape.width
        for row in 0..<(shape.channels * shape.height) {
            var (a, b) = (row * w, row * w + w - 1)
            while a < b { image.swapAt(a, b); a += 1; b -= 1 }
        }
    }
}

/// Adds independent Gaussian noise N(0, σ²) to every value, then optionally clamps to `range`
/// (for example `0...1` for images scaled to the unit range).
///
/// ```swift
/// let noise = GaussianNoise(standardDeviation: 0.05, clampTo: 0...1)
/// ```
public struct GaussianNoise: ImageAugmentation {
    public let standardDeviation: Float
    public let range: ClosedRange<Float>?

    public init(standardDeviation: Float, clampTo range: ClosedRange<Float>? = nil) {
        precondition(standardDeviation >= 0, "GaussianNoise: standardDeviation must be ≥ 0, got \(standardDeviation)")
        self.standardDeviation = standardDeviation
        self.range = range
    }

    public func apply(to image: UnsafeMutableBufferPointer<Float>, shape: ImageShape, using generator: inout SeededGenerator) {
        for i in image.indices {
            var v = image[i] + standardDeviation * Float(generator.normal())
            if let range { v = min(max(v, range.lowerBound), range.upperBound) }
            image[i] = v
        }
    }
}
