import Foundation
import HoneNN
import HoneRandom
import HoneRobust
import HoneTensor

/// Small fixtures: a linear classifier on 1×4×4 "images" whose pixels lie on the k/255 grid.
enum Fixture {
    static let shape = [1, 4, 4]
    static let features = 16

    /// Linear model logits = W·flatten(x) + b with seeded weights.
    static func linear(classes: Int = 3, seed: UInt64 = 1) -> Sequential {
        var g = SeededGenerator(seed: seed)
        return Sequential(Flatten(), Dense(inputSize: features, outputSize: classes, generator: &g))
    }

    /// `n` images on the 1/255 grid and the labels `model` gives them (clean accuracy 100%),
    /// with the first `flipped` labels changed (clean accuracy < 100%).
    static func data(_ model: any Layer, n: Int = 64, flipped: Int = 0, classes: Int = 3, seed: UInt64 = 2) -> (Tensor, [Int32]) {
        var g = SeededGenerator(seed: seed)
        let v = (0..<(n * features)).map { _ in Float(g.int(in: 0...255)) / 255 }
        let x = Tensor(shape: [n] + shape, scalars: v)
        var y = withoutGradient { model(x) }.argmax(axis: 1).map { Int32($0) }
        for i in 0..<flipped { y[i] = (y[i] + 1) % Int32(classes) }
        return (x, y)
    }

    /// ∂CE/∂x of a `Flatten → Dense` model computed by hand: Wᵀ(softmax(z) − onehot(y)) per row.
    static func linearInputGradient(_ model: Sequential, _ x: Tensor, _ y: [Int32]) -> [Float] {
        let dense = model.layers[1].layer as! Dense
        let w = dense.weight.value.scalars, b = dense.bias!.value.scalars
        let c = dense.weight.shape[0], f = features, xs = x.scalars
        var out = [Float](repeating: 0, count: xs.count)
        for r in 0..<y.count {
            var z = (0..<c).map { k in b[k] + (0..<f).reduce(Float(0)) { $0 + w[k * f + $1] * xs[r * f + $1] } }
            let m = z.max()!
            z = z.map { expf($0 - m) }
            let s = z.reduce(0, +)
            for k in 0..<c {
                let d = z[k] / s - (k == Int(y[r]) ? 1 : 0)
                for i in 0..<f { out[r * f + i] += w[k * f + i] * d }
            }
        }
        return out
    }
}

/// Masks gradients on purpose: the identity forward, but the backward pass lets the gradient
/// through only for inputs exactly on the k/255 grid (clean images) and returns zero anywhere
/// else — "shattered gradients" (Athalye et al. 2018). FGSM from the clean input works; PGD
/// from a random start sees zero gradients.
final class GridGate: Layer {
    var isTraining = false
    func callAsFunction(_ x: Tensor) -> Tensor {
        let v = x.scalars
        let n = x.shape[0], f = x.count / n
        var mask = [Float](repeating: 0, count: v.count)
        for r in 0..<n {
            let onGrid = (0..<f).allSatisfy { abs(v[r * f + $0] * 255 - (v[r * f + $0] * 255).rounded()) < 1e-3 }
            if onGrid { for k in 0..<f { mask[r * f + k] = 1 } }
        }
        let m = Tensor(shape: x.shape, scalars: mask)
        return Tensor.customOp("grid-gate", output: x.detached(), inputs: [x]) { g, _ in [g * m] }
    }
}

/// Reverses the gradient: the identity forward, −g backward (a defence that lies about the
/// loss surface). FGSM then moves toward the label and raises accuracy above clean accuracy.
final class GradientReversal: Layer {
    var isTraining = false
    func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.customOp("reverse", output: x.detached(), inputs: [x]) { g, _ in [-g] }
    }
}

/// A model with no input gradient: runs its classifier with the tape off.
final class NoGradient: Layer {
    let inner: any Layer
    var isTraining = false
    var children: [(String, any Module)] { [("inner", inner)] }
    init(_ inner: any Layer) { self.inner = inner }
    func callAsFunction(_ x: Tensor) -> Tensor { withoutGradient { inner(x) } }
}
