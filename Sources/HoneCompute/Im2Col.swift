import HoneKernels

/// im2col / col2im for one image and one group (Chellapilla et al., 2006), in C
/// (`hone_im2col`, `hone_col2im_add`). `col` is `patchSize × outPixels` with row stride
/// `ldcol` (≥ outPixels, so several images can sit side by side), row `(c·kH + r)·kW + s`,
/// column `oh·outW + ow`, holding
/// `image[c, oh·strideH − padH + r·dilationH, ow·strideW − padW + s·dilationW]` (0 outside).
enum Im2Col {
    /// Fills `col` from `image` (the group's first channel).
    static func pack(_ g: Conv2DGeometry, image: UnsafePointer<Float>, col: UnsafeMutablePointer<Float>, ldcol: Int) {
        hone_im2col(Int32(InstructionSet.active.rawValue), image, Int64(g.groupInChannels), Int64(g.height), Int64(g.width),
                    Int64(g.kernelH), Int64(g.kernelW), Int64(g.strideH), Int64(g.strideW),
                    Int64(g.padH), Int64(g.padW), Int64(g.dilationH), Int64(g.dilationW),
                    Int64(g.outH), Int64(g.outW), col, Int64(ldcol))
    }

    /// Adds `col` back into `image` (the adjoint of `pack`).
    static func accumulate(_ g: Conv2DGeometry, col: UnsafePointer<Float>, ldcol: Int, image: UnsafeMutablePointer<Float>) {
        hone_col2im_add(Int32(InstructionSet.active.rawValue), col, Int64(g.groupInChannels), Int64(g.height), Int64(g.width),
                        Int64(g.kernelH), Int64(g.kernelW), Int64(g.strideH), Int64(g.strideW),
                        Int64(g.padH), Int64(g.padW), Int64(g.dilationH), Int64(g.dilationW),
                        Int64(g.outH), Int64(g.outW), image, Int64(ldcol))
    }
}
