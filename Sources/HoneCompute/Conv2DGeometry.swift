/// Shape of a 2-D convolution: NCHW input, OIHW weight (`outChannels × inChannels/groups ×
/// kernelH × kernelW`), NCHW output.
///
/// ```swift
/// let g = Conv2DGeometry(batch: 128, inChannels: 1, height: 28, width: 28, outChannels: 32,
///                        kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 0, padW: 0,
///                        dilationH: 1, dilationW: 1, groups: 1)
/// g.outH  // 26
/// ```
public struct Conv2DGeometry: Sendable, Hashable {
    public var batch, inChannels, height, width, outChannels, kernelH, kernelW: Int
    public var strideH, strideW, padH, padW, dilationH, dilationW, groups: Int

    public init(batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int,
                kernelH: Int, kernelW: Int, strideH: Int = 1, strideW: Int = 1, padH: Int = 0,
                padW: Int = 0, dilationH: Int = 1, dilationW: Int = 1, groups: Int = 1) {
        self.batch = batch; self.inChannels = inChannels; self.height = height; self.width = width
        self.outChannels = outChannels; self.kernelH = kernelH; self.kernelW = kernelW
        self.strideH = strideH; self.strideW = strideW; self.padH = padH; self.padW = padW
        self.dilationH = dilationH; self.dilationW = dilationW; self.groups = groups
    }

    /// Output height `(H + 2·padH − dilationH·(kernelH − 1) − 1) / strideH + 1`.
    public var outH: Int { (height + 2 * padH - dilationH * (kernelH - 1) - 1) / strideH + 1 }
    /// Output width `(W + 2·padW − dilationW·(kernelW − 1) − 1) / strideW + 1`.
    public var outW: Int { (width + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW + 1 }

    /// Input channels per group.
    var groupInChannels: Int { inChannels / groups }
    /// Output channels per group.
    var groupOutChannels: Int { outChannels / groups }
    /// Rows of the im2col matrix per group: `inChannels/groups · kernelH · kernelW`.
    var patchSize: Int { groupInChannels * kernelH * kernelW }
    /// Output pixels per image and channel.
    var outPixels: Int { outH * outW }

    /// Stops with a message naming the geometry when it is not a valid convolution.
    func validate(_ op: String) {
        precondition(batch >= 0 && inChannels > 0 && outChannels > 0 && height > 0 && width > 0
                     && kernelH > 0 && kernelW > 0 && strideH > 0 && strideW > 0 && padH >= 0
                     && padW >= 0 && dilationH > 0 && dilationW > 0 && groups > 0,
                     "\(op): invalid geometry \(self)")
        precondition(inChannels % groups == 0 && outChannels % groups == 0,
                     "\(op): channels in=\(inChannels) out=\(outChannels) not divisible by groups=\(groups)")
        precondition(outH > 0 && outW > 0, "\(op): empty output \(outH)×\(outW) for geometry \(self)")
    }
}
