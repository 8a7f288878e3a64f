import HoneCompute
import HoneKernels

/// Reference-CNN conv layers for `hone-bench core`: forward + backwardInput + backwardWeight
/// (with bias gradient), batch 128, valid padding. conv1's input gradient is not needed in a
/// real network; it is included to match torch autograd with `requires_grad` inputs.
enum CoreBenchConv {
    static let layers: [(String, Conv2DGeometry)] = [
        ("conv1", Conv2DGeometry(batch: 128, inChannels: 1, height: 28, width: 28, outChannels: 32,
                                 kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 0, padW: 0,
                                 dilationH: 1, dilationW: 1, groups: 1)),
        ("conv2", Conv2DGeometry(batch: 128, inChannels: 32, height: 13, width: 13, outChannels: 64,
                                 kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 0, padW: 0,
                                 dilationH: 1, dilationW: 1, groups: 1)),
    ]

    static func layers(_ timer: BenchTimer, threads: Int) {
        for (name, g) in layers {
            let buffers = ConvBuffers(g)
            defer { buffers.deallocate() }
            let passes = buffers.passes(g)
            let t = timer.seconds { for pass in passes { pass.1() } }
            emitJSON([("bench", "conv2d"), ("layer", name), ("threads", threads), ("fwd_bwd_ms", t * 1e3)])
        }
    }
}

extension CoreBenchConv {
    /// Each pass of each reference layer on its own (`--only convphase`):
    /// `{"bench": "conv2d_phase", "layer": L, "phase": "forward"|"backward_input"|"backward_weight", "threads": T, "ms": X}`.
    static func phases(_ timer: BenchTimer, threads: Int) {
        for (name, g) in layers {
            let buffers = ConvBuffers(g)
            defer { buffers.deallocate() }
            let passes = buffers.passes(g)
            for (phase, body) in passes {
                let t = timer.seconds(body)
                emitJSON([("bench", "conv2d_phase"), ("layer", name), ("phase", phase), ("threads", threads), ("ms", t * 1e3)])
            }
        }
    }
}

/// Seeded input, weight, bias, output and gradient buffers of one conv layer, and its three passes.
private struct ConvBuffers {
    let x, w, bias, y, dy, dx, dw, db: UnsafeMutablePointer<Float>

    init(_ g: Conv2DGeometry) {
        let xCount = g.batch * g.inChannels * g.height * g.width
        let wCount = g.outChannels * g.inChannels * g.kernelH * g.kernelW
        let yCount = g.batch * g.outChannels * g.outH * g.outW
        x = benchBuffer(xCount, seed: 1); w = benchBuffer(wCount, seed: 2); bias = benchBuffer(g.outChannels, seed: 3)
        y = benchBuffer(yCount, seed: 4); dy = benchBuffer(yCount, seed: 5); dx = benchBuffer(xCount, seed: 6)
        dw = benchBuffer(wCount, seed: 7); db = benchBuffer(g.outChannels, seed: 8)
    }

    /// forward, backward w.r.t. the input, backward w.r.t. the weight and bias.
    func passes(_ g: Conv2DGeometry) -> [(String, () -> Void)] {
        let (x, w, bias, y, dy, dx, dw, db) = (x, w, bias, y, dy, dx, dw, db)
        return [
            ("forward", { Conv2DKernels.forward(g, input: x, weight: w, bias: bias, output: y) }),
            ("backward_input", { Conv2DKernels.backwardInput(g, gradOutput: dy, weight: w, gradInput: dx) }),
            ("backward_weight", { Conv2DKernels.backwardWeight(g, input: x, gradOutput: dy, gradWeight: dw, gradBias: db) }),
        ]
    }

    func deallocate() { for p in [x, w, bias, y, dy, dx, dw, db] { hone_free(p) } }
}
