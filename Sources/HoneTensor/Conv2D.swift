import HoneCompute

extension Tensor {
    /// 2-d convolution (cross-correlation, as in PyTorch) of `x` [N, C, H, W] with `weight`
    /// [O, C/groups, kH, kW] and optional `bias` [O]; output [N, O, H', W'] with
    /// H' = ⌊(H + 2·padH − dilH·(kH − 1) − 1)/strideH⌋ + 1. Forward and both backward passes
    /// run on `Conv2DKernels` (im2col/GEMM).
    ///
    /// ```swift
    /// let y = Tensor.conv2d(images, weight: w, bias: b, padding: 1)   // 3×3 "same"
    /// ```
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Size2D = 1,
                              padding: Size2D = 0, dilation: Size2D = 1, groups: Int = 1) -> Tensor {
        check(x.rank == 4 && weight.rank == 4,
                     "conv2d: input \(x.shape) and weight \(weight.shape) must both be 4-d (NCHW, OIHW)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, ci, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        check(groups >= 1 && c % groups == 0 && o % groups == 0 && ci * groups == c,
                     "conv2d: input \(x.shape) and weight \(weight.shape) are incompatible with groups = \(groups)")
        check(stride.h > 0 && stride.w > 0 && dilation.h > 0 && dilation.w > 0 && padding.h >= 0 && padding.w >= 0,
                     "conv2d: invalid stride \(stride), padding \(padding) or dilation \(dilation)")
        if let bias { check(bias.shape == [o], "conv2d: bias shape \(bias.shape) does not match weight \(weight.shape)") }
        let g = Conv2DGeometry(batch: n, inChannels: c, height: h, width: w, outChannels: o, kernelH: kh, kernelW: kw,
                               strideH: stride.h, strideW: stride.w, padH: padding.h, padW: padding.w,
                               dilationH: dilation.h, dilationW: dilation.w, groups: groups)
        check(g.outH > 0 && g.outW > 0,
                     "conv2d: input \(x.shape) is too small for weight \(weight.shape) with stride \(stride), padding \(padding), dilation \(dilation)")
        let xc = x.contiguousData(), wc = weight.contiguousData(), bc = bias?.contiguousData()
        var out = Tensor(uninitializedShape: [n, o, g.outH, g.outW])
        withExtendedLifetime((xc, wc, bc)) {
            Conv2DKernels.forward(g, input: xc.base, weight: wc.base, bias: bc.map { UnsafePointer($0.base) }, output: out.base)
        }
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        if isRecording(x, weight) || (bias.map { isRecording($0) } ?? false) {
            let xd = xc.detached(), wd = wc.detached()
            record("conv2d", &out, inputs) { grad, needs in
                let gc = grad.contiguousData()
                var gx: Tensor? = nil, gw: Tensor? = nil, gb: Tensor? = nil
                withExtendedLifetime(gc) {
                    if needs[0] {
                        let t = Tensor(uninitializedShape: xd.shape)
                        Conv2DKernels.backwardInput(g, gradOutput: gc.base, weight: wd.base, gradInput: t.base)
                        gx = t
                    }
                    let needBias = needs.count > 2 && needs[2]
                    if needs[1] {
                        let t = Tensor(uninitializedShape: wd.shape)
                        let tb = needBias ? Tensor(uninitializedShape: [o]) : nil
                        Conv2DKernels.backwardWeight(g, input: xd.base, gradOutput: gc.base, gradWeight: t.base,
                                                     gradBias: tb?.base)
                        gw = t; gb = tb
                    } else if needBias {
                        gb = gc.sum(axes: [0, 2, 3])
                    }
                }
                return needs.count > 2 ? [gx, gw, gb] : [gx, gw]
            }
        }
        return out
    }
}
