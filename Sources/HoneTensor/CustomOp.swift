extension Tensor {
    /// Records a differentiable op whose forward was computed outside the tape (a fused kernel
    /// written with `withUnsafeBufferPointer` / `withUnsafeMutableBufferPointer`, say) and whose
    /// backward is given by hand. Returns `output` attached to the tape when recording is on and
    /// some input is tracked (otherwise `output` unchanged, untracked).
    ///
    /// `backward(gradOutput, needsGrad)` returns one gradient per input, each of that input's
    /// shape, or nil where `needsGrad[i]` is false. It runs with recording off. Capture saved
    /// values as `detached()` tensors; never capture the returned tensor itself.
    ///
    /// ```swift
    /// // y = x³ with a hand-written derivative 3x²
    /// let y = Tensor.customOp("cube", output: withoutGradient { x * x * x }, inputs: [x]) { g, _ in
    ///     [g * 3 * x.detached().square()]
    /// }
    /// ```
    public static func customOp(_ name: String, output: Tensor, inputs: [Tensor],
                                backward: @escaping (_ gradOutput: Tensor, _ needsGrad: [Bool]) -> [Tensor?]) -> Tensor {
        var out = output.detached()
        let shapes = inputs.map(\.shape)
        record(name, &out, inputs) { g, needs in
            let grads = backward(g, needs)
            check(grads.count == shapes.count,
                  "\(name): backward returned \(grads.count) gradients for \(shapes.count) inputs")
            for (i, (gi, s)) in zip(grads, shapes).enumerated() {
                if let gi {
                    check(gi.shape == s, "\(name): gradient \(i) has shape \(gi.shape), input \(i) has shape \(s)")
                } else {
                    check(!needs[i], "\(name): backward returned no gradient for input \(i), which requires one")
                }
            }
            return grads
        }
        return out
    }
}
