import HoneTensor

/// An ONNX graph under construction, serialized with field numbers from onnx.proto
/// (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto): ModelProto (ir_version 1,
/// opset_import 8, producer_name 2, graph 7), GraphProto (node 1, name 2, initializer 5, input 11,
/// output 12), NodeProto (input 1, output 2, name 3, op_type 4, attribute 5), AttributeProto
/// (name 1, f 2, i 3, ints 8, type 20), TensorProto (dims 1, data_type 2, name 8, raw_data 9),
/// ValueInfoProto (name 1, type 2), TypeProto.tensor_type 1 (elem_type 1, shape 2),
/// TensorShapeProto.dim 1 (dim_value 1, dim_param 2), OperatorSetIdProto (domain 1, version 2).
struct ONNXGraph {
    /// TensorProto.DataType values.
    enum DataType: Int { case float = 1, uint8 = 2, int8 = 3, int32 = 6, int64 = 7 }

    enum Attribute {
        case int(Int)
        case float(Float)
        case ints([Int])
    }

    struct Node {
        var op: String
        var inputs: [String]
        var outputs: [String]
        var name: String
        var attributes: [(String, Attribute)]
    }

    struct Initializer {
        var name: String
        var type: DataType
        var dims: [Int]
        var raw: [UInt8]
    }

    var nodes: [Node] = []
    var initializers: [Initializer] = []
    private var counter = 0

    /// A fresh value name with `prefix`.
    mutating func fresh(_ prefix: String) -> String { counter += 1; return "\(prefix)_\(counter)" }

    @discardableResult
    mutating func add(_ op: String, _ inputs: [String], _ attributes: [(String, Attribute)] = [], output: String? = nil) -> String {
        let out = output ?? fresh(op.lowercased())
        nodes.append(Node(op: op, inputs: inputs, outputs: [out], name: fresh("node_\(op)"), attributes: attributes))
        return out
    }

    mutating func floats(_ name: String, _ values: [Float], dims: [Int]) -> String {
        var raw: [UInt8] = []
        raw.reserveCapacity(values.count * 4)
        for v in values { let b = v.bitPattern.littleEndian; for i in 0..<4 { raw.append(UInt8(truncatingIfNeeded: b >> (8 * UInt32(i)))) } }
        initializers.append(Initializer(name: name, type: .float, dims: dims, raw: raw))
        return name
    }

    mutating func int8s(_ name: String, _ values: [Int8], dims: [Int]) -> String {
        initializers.append(Initializer(name: name, type: .int8, dims: dims, raw: values.map { UInt8(bitPattern: $0) }))
        return name
    }

    mutating func uint8s(_ name: String, _ values: [UInt8], dims: [Int]) -> String {
        initializers.append(Initializer(name: name, type: .uint8, dims: dims, raw: values))
        return name
    }

    mutating func int64s(_ name: String, _ values: [Int64], dims: [Int]) -> String {
        var raw: [UInt8] = []
        for v in values { let b = UInt64(bitPattern: v).littleEndian; for i in 0..<8 { raw.append(UInt8(truncatingIfNeeded: b >> (8 * UInt64(i)))) } }
        initializers.append(Initializer(name: name, type: .int64, dims: dims, raw: raw))
        return name
    }

    /// The ModelProto bytes: one float input `input` of shape `["batch"] + inputShape`, one
    /// float output `output` of shape `["batch"] + outputShape`.
    func serialized(inputName: String, inputShape: [Int], outputName: String, outputShape: [Int],
                    graphName: String, opset: Int = 13) -> [UInt8] {
        func valueInfo(_ w: inout ProtobufWriter, _ name: String, _ shape: [Int]) {
            w.string(1, name)
            w.message(2) { type in
                type.message(1) { tensor in
                    tensor.int(1, DataType.float.rawValue)
                    tensor.message(2) { s in
                        s.message(1) { $0.string(2, "batch") }
                        for d in shape { s.message(1) { $0.int(1, d) } }
                    }
                }
            }
        }
        var model = ProtobufWriter()
        model.int(1, 7)                                   // ir_version 7 (opset 13 era)
        model.string(2, "hone")
        model.string(3, "0.1.0")
        model.message(7) { g in
            for n in nodes {
                g.message(1) { w in
                    for i in n.inputs { w.string(1, i) }
                    for o in n.outputs { w.string(2, o) }
                    w.string(3, n.name)
                    w.string(4, n.op)
                    for (name, a) in n.attributes {
                        w.message(5) { at in
                            at.string(1, name)
                            switch a {
                            case .int(let v): at.int(3, v); at.int(20, 2)
                            case .float(let v): at.float(2, v); at.int(20, 1)
                            case .ints(let vs): for v in vs { at.int(8, v) }; at.int(20, 7)
                            }
                        }
                    }
                }
            }
            g.string(2, graphName)
            for t in initializers {
                g.message(5) { w in
                    for d in t.dims { w.int(1, d) }
                    w.int(2, t.type.rawValue)
                    w.string(8, t.name)
                    w.data(9, t.raw)
                }
            }
            g.message(11) { valueInfo(&$0, inputName, inputShape) }
            g.message(12) { valueInfo(&$0, outputName, outputShape) }
        }
        model.message(8) { op in op.string(1, ""); op.int(2, opset) }
        return model.bytes
    }
}
