import HoneNN
import HoneTensor

extension Pruning {
    /// Which structures `structured` removes.
    public enum Structure: String, Sendable, CaseIterable {
        /// Whole Conv2D filters (output channels).
        case filters
        /// Whole Dense units (output features).
        case units
        /// Both.
        case all
    }

    /// The norm that ranks filters / units: L1 (Li et al. 2017, "Pruning Filters for Efficient
    /// ConvNets", arXiv:1608.08710) or L2 of each filter's (unit's) weights.
    public enum Norm: String, Sendable, CaseIterable { case l1, l2 }

    /// What `structured` returns: the smaller dense model and, per pruned layer path, the kept
    /// output channel (unit) indices in increasing order.
    public struct StructuredResult {
        public let model: Sequential
        public let kept: [String: [Int]]
    }

    /// Structured pruning of a `Sequential`: removes the `fraction` of Conv2D filters (and/or
    /// Dense units) with the smallest L1/L2 norm from every layer that feeds another Conv2D or
    /// Dense (the output layer is never pruned), and PHYSICALLY shrinks the model: the pruned
    /// layer's weight and bias lose those rows, a following BatchNorm loses those features, and
    /// the next Conv2D (Dense, also after `Flatten`) loses the matching input channels
    /// (features). The result is an ordinary dense model of HoneNN layers that `ModelFile`
    /// saves, with fewer parameters and proportionally less compute; for the kept channels it
    /// computes exactly what the original model computes with the removed filters masked to zero.
    /// The input model is not changed.
    ///
    /// `layers` restricts pruning to those layer paths. Throws `CompressionError.invalidSparsity`
    /// unless 0 ≤ fraction < 1, `.unsupportedLayer` for a grouped convolution, a named layer that
    /// is neither Conv2D nor Dense, or a layer between a pruned layer and its consumer that cannot
    /// follow the channel change (e.g. LSTM, Residual, LayerNorm, Reshape).
    ///
    /// ```swift
    /// let r = try Pruning.structured(Models.cnn(seed: 1), fraction: 0.5, structure: .filters)
    /// r.model.parameterCount   // ≈ 108k instead of 225k
    /// ```
    public static func structured(_ model: Sequential, fraction: Double, structure: Structure = .filters,
                                  norm: Norm = .l1, layers: [String]? = nil) throws -> StructuredResult {
        guard fraction >= 0, fraction < 1, fraction.isFinite else { throw CompressionError.invalidSparsity(fraction) }
        let method = "structured pruning"
        let entries = model.layers
        let weighted = entries.indices.filter { entries[$0].layer is Conv2D || entries[$0].layer is Dense }
        if let layers {
            for path in layers {
                guard let e = entries.first(where: { $0.name == path }) else {
                    throw CompressionError.invalidArgument(name: "layers", reason: "the model has no layer \"\(path)\" (layers: \(entries.map(\.name).joined(separator: ", ")))")
                }
                guard e.layer is Conv2D || e.layer is Dense else {
                    throw CompressionError.unsupportedLayer(method: method, layer: String(describing: type(of: e.layer)), path: path)
                }
            }
        }
        func isTarget(_ i: Int) -> Bool {
            guard i != weighted.last else { return false }            // the output layer keeps its classes
            if let layers { return layers.contains(entries[i].name) }
            switch structure {
            case .filters: return entries[i].layer is Conv2D
            case .units: return entries[i].layer is Dense
            case .all: return true
            }
        }

        var out: [(String, any Layer)] = []
        var kept: [String: [Int]] = [:]
        // Channels kept by the last pruned producer, and how many it had; `flattened` once a
        // Flatten turned channels into channel-major feature blocks.
        var selection: [Int]? = nil
        var producerChannels = 0
        var flattened = false
        // A target layer i loses its lowest-norm rows of `w` (`rows` × `rowLength`) and `b`, and
        // becomes the producer the next layers follow; returns its output count.
        func pruneOutputs(_ i: Int, _ w: inout [Float], _ b: inout [Float]?, rows: Int, rowLength: Int) -> Int {
            guard isTarget(i) else { selection = nil; return rows }
            let keep = rankRows(w, rows: rows, rowLength: rowLength, fraction: fraction, norm: norm)
            w = sliceRows(w, rowLength: rowLength, rows: keep)
            b = b.map { bb in keep.map { bb[$0] } }
            kept[entries[i].name] = keep
            selection = keep; producerChannels = rows; flattened = false
            return keep.count
        }
        for (i, entry) in entries.enumerated() {
            let path = entry.name
            switch entry.layer {
            case let conv as Conv2D:
                guard conv.groups == 1 else {
                    throw CompressionError.unsupportedLayer(method: method + " (grouped convolution)", layer: "Conv2D", path: path)
                }
                if flattened, selection != nil {
                    throw CompressionError.unsupportedLayer(method: method + " (conv after flatten)", layer: "Conv2D", path: path)
                }
                var w = conv.weight.value.scalars
                var inC = conv.inputChannels
                let k = conv.kernelSize.h * conv.kernelSize.w
                if let sel = selection {
                    w = sliceColumns(w, rows: conv.outputChannels, rowLength: inC * k, blocks: sel, blockSize: k)
                    inC = sel.count
                }
                var b = conv.bias?.value.scalars
                let outC = pruneOutputs(i, &w, &b, rows: conv.outputChannels, rowLength: inC * k)
                let c = Conv2D(inputChannels: inC, outputChannels: outC, kernelSize: conv.kernelSize, stride: conv.stride,
                               padding: conv.padding, dilation: conv.dilation, groups: 1, bias: b != nil)
                c.weight.value = Tensor(shape: [outC, inC, conv.kernelSize.h, conv.kernelSize.w], scalars: w)
                if let b { c.bias!.value = Tensor(shape: [outC], scalars: b) }
                out.append((path, c))
            case let dense as Dense:
                var w = dense.weight.value.scalars
                var inF = dense.inputSize
                if let sel = selection {
                    let block = flattened ? dense.inputSize / producerChannels : 1
                    guard block * producerChannels == dense.inputSize else {
                        throw CompressionError.unsupportedLayer(
                            method: method + " (\(dense.inputSize) inputs are not a multiple of \(producerChannels) channels)",
                            layer: "Dense", path: path)
                    }
                    w = sliceColumns(w, rows: dense.outputSize, rowLength: inF, blocks: sel, blockSize: block)
                    inF = sel.count * block
                }
                var b = dense.bias?.value.scalars
                let outF = pruneOutputs(i, &w, &b, rows: dense.outputSize, rowLength: inF)
                let d = Dense(inputSize: inF, outputSize: outF, bias: b != nil)
                d.weight.value = Tensor(shape: [outF, inF], scalars: w)
                if let b { d.bias!.value = Tensor(shape: [outF], scalars: b) }
                out.append((path, d))
            case let bn as BatchNorm2d where selection != nil && !flattened:
                out.append((path, try sliceBatchNorm(bn.parameters, bn.buffers, features: bn.features, sel: selection!,
                                                     make: { BatchNorm2d($0, momentum: bn.momentum, epsilon: bn.epsilon, affine: bn.affine) })))
            case let bn as BatchNorm1d where selection != nil && !flattened:
                out.append((path, try sliceBatchNorm(bn.parameters, bn.buffers, features: bn.features, sel: selection!,
                                                     make: { BatchNorm1d($0, momentum: bn.momentum, epsilon: bn.epsilon, affine: bn.affine) })))
            case is Flatten:
                if selection != nil { flattened = true }
                out.append((path, try LayerCopy.clone(entry.layer, method: method, path: path)))
            case is ReLU, is LeakyReLU, is ELU, is GELU, is Sigmoid, is Tanh, is MaxPool2D, is AvgPool2D, is Dropout, is GlobalAvgPool:
                out.append((path, try LayerCopy.clone(entry.layer, method: method, path: path)))
            default:
                if selection != nil {
                    throw CompressionError.unsupportedLayer(method: method + " (cannot follow a pruned layer's channel change)",
                                                            layer: String(describing: type(of: entry.layer)), path: path)
                }
                out.append((path, try LayerCopy.clone(entry.layer, method: method, path: path)))
            }
        }
        let result = Sequential(named: out)
        result.setTraining(model.isTraining)
        return StructuredResult(model: result, kept: kept)
    }

    /// Indices of the rows to keep (largest norms, ties by position), in increasing order; at
    /// least one row is kept.
    static func rankRows(_ w: [Float], rows: Int, rowLength: Int, fraction: Double, norm: Norm) -> [Int] {
        let remove = min(rows - 1, Int((fraction * Double(rows)).rounded()))
        let norms: [Float] = (0..<rows).map { r in
            let row = w[(r * rowLength)..<((r + 1) * rowLength)]
            return norm == .l1 ? row.reduce(0) { $0 + abs($1) } : row.reduce(0) { $0 + $1 * $1 }
        }
        let order = (0..<rows).sorted { norms[$0] < norms[$1] || (norms[$0] == norms[$1] && $0 < $1) }
        return Array(order.dropFirst(remove)).sorted()
    }

    static func sliceRows(_ w: [Float], rowLength: Int, rows: [Int]) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(rows.count * rowLength)
        for r in rows { out += w[(r * rowLength)..<((r + 1) * rowLength)] }
        return out
    }

    /// Keeps, in every row, the column blocks `blocks` (block b covers b·blockSize..<(b+1)·blockSize).
    static func sliceColumns(_ w: [Float], rows: Int, rowLength: Int, blocks: [Int], blockSize: Int) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(rows * blocks.count * blockSize)
        for r in 0..<rows {
            let base = r * rowLength
            for b in blocks { out += w[(base + b * blockSize)..<(base + (b + 1) * blockSize)] }
        }
        return out
    }

    static func sliceBatchNorm(_ params: [(String, Parameter)], _ buffers: [(String, Buffer)], features: Int, sel: [Int],
                               make: (Int) -> any Layer) throws -> any Layer {
        let bn = make(sel.count)
        let srcP = Dictionary(uniqueKeysWithValues: params.map { ($0.0, $0.1.value.scalars) })
        let srcB = Dictionary(uniqueKeysWithValues: buffers.map { ($0.0, $0.1.value.scalars) })
        for (name, p) in bn.parameters { if let v = srcP[name] { p.value = Tensor(sel.map { v[$0] }) } }
        for (name, b) in bn.buffers { if let v = srcB[name] { b.value = Tensor(sel.map { v[$0] }) } }
        return bn
    }
}
