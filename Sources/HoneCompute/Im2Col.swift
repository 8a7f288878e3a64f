/// im2col / col2im for one image and one group (Chellapilla et al., 2006).
/// `col` is `patchSize × outPixels`, row `(c·kH + r)·kW + s`, column `oh·outW + ow`, holding
/// `image[c, oh·strideH − padH + r·dilationH, ow·strideW − padW + s·dilationW]` (0 outside).
enum Im2Col {
    /// Fills `col` from `image` (the group's first channel).
    static func pack(_ g: Conv2DGeometry, image: UnsafePointer<Float>, col: UnsafeMutablePointer<Float>) {
        let H = g.height, W = g.width, oH = g.outH, oW = g.outW
        var row = 0
        for c in 0..<g.groupInChannels {
            let plane = image + c * H * W
            for r in 0..<g.kernelH {
                for s in 0..<g.kernelW {
                    let dst = col + row * oH * oW
                    let dh = r * g.dilationH - g.padH, dw = s * g.dilationW - g.padW
                    for oh in 0..<oH {
                        let ih = oh * g.strideH + dh
                        let d = dst + oh * oW
                        if ih < 0 || ih >= H {
                            d.update(repeating: 0, count: oW)
                            continue
                        }
                        let src = plane + ih * W
                        for ow in 0..<oW {
                            let iw = ow * g.strideW + dw
                            d[ow] = (iw >= 0 && iw < W) ? src[iw] : 0
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// Adds `col` back into `image` (the adjoint of `pack`).
    static func accumulate(_ g: Conv2DGeometry, col: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
        let H = g.height, W = g.width, oH = g.outH, oW = g.outW
        var row = 0
        for c in 0..<g.groupInChannels {
            let plane = image + c * H * W
            for r in 0..<g.kernelH {
                for s in 0..<g.kernelW {
                    let src = col + row * oH * oW
                    let dh = r * g.dilationH - g.padH, dw = s * g.dilationW - g.padW
                    for oh in 0..<oH {
                        let ih = oh * g.strideH + dh
                        if ih < 0 || ih >= H { continue }
                        let d = plane + ih * W
                        let sr = src + oh * oW
                        for ow in 0..<oW {
                            let iw = ow * g.strideW + dw
                            if iw >= 0 && iw < W { d[iw] += sr[ow] }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
