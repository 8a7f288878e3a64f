import Foundation
import HoneNN
import HoneRandom
import HoneTensor
import Testing
import HoneTestSupport

@Suite("safetensors files and model save/load")
struct SafeTensorsTests {
    /// FIELD-GUIDE §8.1 test vector; expected bytes produced by Python's `safetensors.numpy.save`.
    static let vector = SafeTensors(
        tensors: ["fc.weight": .init(Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])),
                  "fc.bias": .init(Tensor([0.5, -0.5])),
                  "step": .init(int64: [7]),
                  "q": .init(int8: [-1, 2])],
        metadata: ["format": "hone"])
    static let header = #"{"__metadata__":{"format":"hone"},"step":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"fc.bias":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"fc.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[16,40]},"q":{"dtype":"I8","shape":[2],"data_offsets":[40,42]}}   "#
    static let dataHex = "07000000000000000000003f000000bf0000803f0000004000004040000080400000a0400000c040ff02"

    func temporaryURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hone-nn-\(getpid())-\(name)")
    }

    @Test func testVectorByteForByte() throws {
        let bytes = Self.vector.encoded()
        #expect(bytes.count == 322)
        #expect(Array(bytes[0..<8]) == [16, 1, 0, 0, 0, 0, 0, 0])   // N = 272
        #expect(String(decoding: bytes[8..<280], as: UTF8.self) == Self.header)
        #expect(bytes[280...].map { String(format: "%02x", $0) }.joined() == Self.dataHex)
        #expect(Self.vector.orderedNames == ["step", "fc.bias", "fc.weight", "q"])
        let back = try SafeTensors.decode(bytes)
        #expect(back == Self.vector)
        #expect(back.tensors["fc.weight"]?.tensor?.scalars == [1, 2, 3, 4, 5, 6])
    }

    @Test func corruptFilesGiveTypedErrors() throws {
        let good = Self.vector.encoded()
        func decodeError(_ bytes: [UInt8]) -> SafeTensorsError? {
            do { _ = try SafeTensors.decode(bytes, file: "bad.safetensors"); return nil } catch let e as SafeTensorsError { return e } catch { return nil }
        }
        func withHeader(_ h: String, data: [UInt8]) -> [UInt8] {
            var hb = Array(h.utf8)
            while hb.count % 8 != 0 { hb.append(0x20) }
            return withUnsafeBytes(of: UInt64(hb.count).littleEndian) { Array($0) } + hb + data
        }
        guard case .truncated = decodeError(Array(good[0..<5])) else { Issue.record("short file"); return }
        guard case .truncated = decodeError(Array(good[0..<100])) else { Issue.record("cut header"); return }
        var huge = good
        huge.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(200_000_000).littleEndian) { Array($0) })
        guard case .headerTooLarge = decodeError(huge) else { Issue.record("huge N"); return }
        guard case .invalidLayout = decodeError(Array(good.dropLast())) else { Issue.record("missing data byte"); return }
        guard case .invalidLayout = decodeError(good + [0]) else { Issue.record("trailing byte"); return }
        guard case .invalidHeader = decodeError(withHeader("[1,2]", data: [])) else { Issue.record("not an object"); return }
        guard case .invalidHeader = decodeError(withHeader("{\"a\":", data: [])) else { Issue.record("bad JSON"); return }
        guard case .invalidEntry(_, "a", _) = decodeError(withHeader(#"{"a":{"dtype":"X9","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        else { Issue.record("bad dtype"); return }
        guard case .invalidEntry = decodeError(withHeader(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]))
        else { Issue.record("size mismatch"); return }
        guard case .invalidLayout = decodeError(withHeader(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: [UInt8](repeating: 0, count: 8)))
        else { Issue.record("gap"); return }
        guard case .invalidLayout = decodeError(withHeader(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [UInt8](repeating: 0, count: 4)))
        else { Issue.record("overlap"); return }
        guard case .invalidHeader = decodeError(withHeader(#"{"__metadata__":{"a":1}}"#, data: [])) else { Issue.record("metadata"); return }
        let message = decodeError(Array(good[0..<5]))!.description
        #expect(message.contains("bad.safetensors"))
        // Random byte flips never crash: each either decodes or throws a typed error.
        var g = SeededGenerator(seed: 11)
        for _ in 0..<2000 {
            var bytes = good
            for _ in 0..<(1 + g.int(in: 0...3)) { bytes[g.int(in: 0...(bytes.count - 1))] = UInt8(g.int(in: 0...255)) }
            do { _ = try SafeTensors.decode(bytes) } catch is SafeTensorsError {} catch { Issue.record("untyped error \(error)") }
        }
    }

    @Test func modelRoundTripGivesIdenticalPredictions() throws {
        let x = randomTensor([3, 1, 28, 28], seed: 5, low: 0, high: 1)
        for (name, model) in [("cnn", Models.cnn(seed: 7)), ("wide", Models.wideCNN(seed: 7)), ("lstm", Models.lstm(seed: 7)),
                              ("resnet8", Models.resNet(blocksPerStage: 1, inputChannels: 1, seed: 7))] {
            // One training step so BatchNorm running statistics differ from their initial values.
            _ = model(x)
            model.setTraining(false)
            let url = temporaryURL("\(name).safetensors")
            defer { try? FileManager.default.removeItem(at: url) }
            try ModelFile.save(model, to: url)
            let loaded = try ModelFile.load(from: url)
            #expect(loaded(x).scalars == model(x).scalars, "\(name)")
            #expect(loaded.namedParameters.map(\.0) == model.namedParameters.map(\.0))
            #expect(try Architecture(describing: loaded) == Architecture(describing: model))
        }
    }

    @Test func loadWeightsChecksNamesAndShapes() throws {
        let url = temporaryURL("mlp.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try ModelFile.saveWeights(Models.mlp(seed: 1), to: url)
        let target = Models.mlp(seed: 2)
        try ModelFile.loadWeights(into: target, from: url)
        #expect(target.namedParameters[0].1.value.scalars == Models.mlp(seed: 1).namedParameters[0].1.value.scalars)
        #expect(throws: SafeTensorsError.self) { try ModelFile.loadWeights(into: Models.cnn(), from: url) }
        #expect(throws: SafeTensorsError.self) { try ModelFile.load(from: url) }   // no architecture metadata
        #expect(throws: SafeTensorsError.self) { try SafeTensors.read(from: temporaryURL("missing.safetensors")) }
    }

    @Test func architectureJSONRoundTrip() throws {
        let model = Models.resNet(blocksPerStage: 1, seed: 0)
        let spec = try Architecture(describing: model)
        let json = try spec.jsonData()
        #expect(try Architecture.decode(json) == spec)
        #expect(String(decoding: json, as: UTF8.self).contains(#""residual""#))
        #expect(throws: (any Error).self) { try Architecture.decode(Data(#"{"dense":{"inputSize":-1,"outputSize":2,"bias":true}}"#.utf8)).build() }
    }

    /// Python's `safetensors` reads Hone's file and sees the same values (skipped when Python or
    /// the package is not available).
    @Test func pythonSafetensorsReadsHoneFiles() throws {
        let candidates = ["/work/venv/bin/python", "/usr/bin/python3", "/usr/local/bin/python3"]
        guard let python = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("SafeTensorsTests: skipped (no python found)"); return
        }
        let url = temporaryURL("interop.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let model = Models.cnn(seed: 3)
        try ModelFile.save(model, to: url)
        let script = """
        import sys
        try:
            from safetensors.numpy import load_file
        except ImportError:
            print("SKIP"); sys.exit(0)
        d = load_file(sys.argv[1])
        for k in sorted(d):
            v = d[k].reshape(-1)
            print(k, d[k].dtype, list(d[k].shape), float(v.sum()), float(v[0]), float(v[-1]))
        """
        let run = try runToCompletion(python, ["-c", script, url.path], timeout: 300)
        let output = run.stdout
        if output.hasPrefix("SKIP") || run.status != 0 {
            print("SafeTensorsTests: skipped (Python safetensors module unavailable)"); return
        }
        let lines = output.split(separator: "\n")
        let params = model.namedParameters.sorted { $0.0 < $1.0 }
        // A small model with a buffer: every value must come back exactly.
        let small = Sequential(Dense(inputSize: 4, outputSize: 3, seed: 5), BatchNorm1d(3))
        _ = small(randomTensor([6, 4], seed: 6))
        let smallURL = temporaryURL("interop-small.safetensors")
        defer { try? FileManager.default.removeItem(at: smallURL) }
        try ModelFile.save(small, to: smallURL)
        let dumped = try runToCompletion(python, ["-c", """
        import sys
        from safetensors.numpy import load_file
        d = load_file(sys.argv[1])
        for k in sorted(d):
            print(k, " ".join(repr(float(v)) for v in d[k].reshape(-1)))
        """, smallURL.path], timeout: 300).stdout
        var expected: [String: [Float]] = [:]
        for (name, p) in small.namedParameters { expected[name] = p.value.scalars }
        for (name, b) in small.namedBuffers { expected[name] = b.value.scalars }
        let dumpedLines = dumped.split(separator: "\n")
        #expect(dumpedLines.count == expected.count)
        for line in dumpedLines {
            let parts = line.split(separator: " ")
            let values = parts.dropFirst().compactMap { Double($0) }
            #expect(values == expected[String(parts[0])]?.map(Double.init), "\(parts[0]) values differ")
        }
        #expect(lines.count == params.count)
        for (line, (name, p)) in zip(lines, params) {
            let f = line.split(separator: " ", maxSplits: 2)
            #expect(String(f[0]) == name && f[1] == "float32")
            let v = p.value.scalars
            let nums = String(f[2]).split(separator: "]").last!.split(separator: " ").compactMap { Double($0) }
            #expect(nums.count == 3)
            let sum = v.reduce(0.0) { $0 + Double($1) }
            #expect(abs(nums[0] - sum) < 1e-3 * max(1, abs(sum)), "\(name) sum")
            #expect(nums[1] == Double(v.first!) && nums[2] == Double(v.last!), "\(name) first/last")
        }
    }
}
