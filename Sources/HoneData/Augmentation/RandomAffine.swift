import Foundation
import HoneRandom

/// A small random rotation, translation and scaling about the image centre, resampled with
/// bilinear interpolation (torchvision's `RandomAffine(degrees, translate, scale)`, without shear).
///
/// Each output pixel p is read from the input at A⁻¹(p − c − t) + c, where c is the centre,
/// A = s·R(θ), θ ~ U(−maxRotationDegrees, +maxRotationDegrees), s ~ U(scale), and
/// t = (U(±maxTranslation)·W, U(±maxTranslation)·H); samples outside the image read `fill`.
///
/// ```swift
/// let jitter = RandomAffine(maxRotationDegrees: 10, maxTranslation: 0.1, scale: 0.9...1.1)
/// ```
public struct RandomAffine: ImageAugmentation {
    public let maxRotationDegrees: Double
    /// Largest shift as a fraction of the width/height.
    public let maxTranslation: Double
    public let scale: ClosedRange<Double>
    public let fill: Float

    public init(maxRotationDegrees: Double = 0, maxTranslation: Double = 0, scale: ClosedRange<Double> = 1...1, fill: Float = 0) {
        precondition(maxRotationDegrees >= 0 && maxTranslation >= 0 && scale.lowerBound > 0,
                     "RandomAffine: need maxRotationDegrees ≥ 0, maxTranslation ≥ 0 and scale > 0; got \(maxRotationDegrees), \(maxTranslation), \(scale)")
        self.maxRotationDegrees = maxRotationDegrees
        self.maxTranslation = maxTranslation
        self.scale = scale
        self.fill = fill
    }

    public func apply(to image: UnsafeMutableBufferPointer<Float>, shape: ImageShape, using generator: inout SeededGenerator) {
        let angle = generator.uniform(-maxRotationDegrees, maxRotationDegrees) * Double.pi / 180
        let tx = generator.uniform(-maxTranslation, maxTranslation) * Double(shape.width)
        let ty = generator.uniform(-maxTranslation, maxTranslation) * Double(shape.height)
        let s = scale.lowerBound == scale.upperBound ? scale.lowerBound : generator.uniform(scale.lowerBound, scale.upperBound)
        RandomAffine.warp(image, shape: shape, angle: angle, translation: (tx, ty), scale: s, fill: fill)
    }

    /// Applies the fixed affine map (angle in radians, counter-clockwise on screen) in place.
    public static func warp(_ image: UnsafeMutableBufferPointer<Float>, shape: ImageShape, angle: Double,
                            translation: (x: Double, y: Double), scale s: Double, fill: Float) {
        if angle == 0 && translation.x == 0 && translation.y == 0 && s == 1 { return }
        let (h, w) = (shape.height, shape.width)
        let cx = Double(w - 1) / 2, cy = Double(h - 1) / 2
        // Inverse of s·R(θ): R(−θ)/s. Image y points down, so a positive angle turns
        // counter-clockwise on screen.
        let cosA = cos(angle) / s, sinA = sin(angle) / s
        let plane = h * w
        withUnsafeTemporaryAllocation(of: Float.self, capacity: plane) { source in
            for c in 0..<shape.channels {
                let image = UnsafeMutableBufferPointer(rebasing: image[(c * plane)..<((c + 1) * plane)])
                _ = source.initialize(fromContentsOf: image)
                for y in 0..<h {
                    let v = Double(y) - cy - translation.y
                    // Along a row the source point moves linearly: (cosA, sinA) per pixel.
                    var sx = cosA * (-cx - translation.x) - sinA * v + cx
                    var sy = sinA * (-cx - translation.x) + cosA * v + cy
                    for x in 0..<w {
                        image[y * w + x] = bilinear(UnsafeBufferPointer(source), width: w, height: h, x: sx, y: sy, fill: fill)
                        sx += cosA
                        sy += sinA
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func bilinear(_ p: UnsafeBufferPointer<Float>, width w: Int, height h: Int, x: Double, y: Double, fill: Float) -> Float {
        let fx0 = x.rounded(.down), fy0 = y.rounded(.down)
        guard fx0 > -2 && fy0 > -2 && fx0 < Double(w) && fy0 < Double(h) else { return fill }
        let x0 = Int(fx0), y0 = Int(fy0)
        let fx = Float(x - fx0), fy = Float(y - fy0)
        if x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h {
            let i = y0 * w + x0
            let top = p[i] * (1 - fx) + p[i + 1] * fx
            let bottom = p[i + w] * (1 - fx) + p[i + w + 1] * fx
            return top * (1 - fy) + bottom * fy
        }
        func at(_ yy: Int, _ xx: Int) -> Float {
            (yy >= 0 && yy < h && xx >= 0 && xx < w) ? p[yy * w + xx] : fill
        }
        let top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
        let bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }
}
