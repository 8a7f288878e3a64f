extension Tensor {
    /// Records `output` as a one-input op whose backward scatters: `scatter(g, gx)` adds each
    /// element of the incoming gradient `g` (contiguous, shaped like `output`) to the input
    /// element(s) it came from in `gx`, a zero tensor shaped like `input`. The backward of
    /// max/average pooling, index select and gather.
    ///
    /// ```swift
    /// Tensor.recordScatter("indexSelect", &out, self) { g, gx in /* gx[src(i)] += g[i] */ }
    /// ```
    static func recordScatter(_ op: String, _ output: inout Tensor, _ input: Tensor,
                              _ scatter: @escaping (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        let inShape = input.shape
        record(op, &output, [input]) { g, _ in
            let gc = g.contiguousData()
            let gx = Tensor.zeros(inShape)
            withExtendedLifetime(gc) { scatter(UnsafePointer(gc.base), gx.base) }
            return [gx]
        }
    }
}
