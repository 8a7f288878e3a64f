import HoneData
import HoneRandom
import Testing

/// Random mutations of valid IDX bytes, raw and gzip-compressed: every case must either parse to
/// a consistent array or throw a `DataError` — never crash, hang or allocate absurdly.
@Suite struct FuzzTests {
    static func mutate(_ bytes: [UInt8], _ g: inout SeededGenerator) -> [UInt8] {
        var b = bytes
        for _ in 0..<(1 + g.int(in: 0...3)) {
            switch g.int(in: 0...6) {
            case 0 where !b.isEmpty:  // flip one bit
                b[g.int(in: 0...(b.count - 1))] ^= UInt8(1) << UInt8(g.int(in: 0...7))
            case 1 where !b.isEmpty:  // random byte
                b[g.int(in: 0...(b.count - 1))] = UInt8(g.int(in: 0...255))
            case 2 where !b.isEmpty:  // truncate
                b.removeSubrange(g.int(in: 0...(b.count - 1))...)
            case 3:  // insert bytes
                let at = g.int(in: 0...b.count)
                b.insert(contentsOf: (0..<g.int(in: 1...8)).map { _ in UInt8(g.int(in: 0...255)) }, at: at)
            case 4 where b.count > 8:  // header fields: magic and dimensions
                b[g.int(in: 0...min(15, b.count - 1))] = [0, 1, 0x7F, 0x80, 0xFF][g.int(in: 0...4)]
            case 5 where !b.isEmpty:  // delete a range
                let from = g.int(in: 0...(b.count - 1))
                b.removeSubrange(from..<min(b.count, from + g.int(in: 1...16)))
            default:  // duplicate a chunk at the end
                if !b.isEmpty { b += b[0..<min(b.count, g.int(in: 1...32))] }
            }
        }
        return b
    }

    static func check(_ bytes: [UInt8], gz: Bool) -> Bool {
        do {
            let raw = gz ? try Gzip.decompress(bytes, file: "fuzz.gz") : bytes
            let array = try IDXFile.parse(raw, file: "fuzz")
            // A successful parse must be self-consistent and re-encode to the same bytes.
            return IDXFile.encode(array) == raw && array.count == array.shape.reduce(1, *)
        } catch {
            // Typed throws: the only possible error is a DataError.
            return !error.problem.isEmpty && error.file.hasPrefix("fuzz")
        }
    }

    @Test(arguments: [false, true])
    func mutatedIDXNeverCrashes(gz: Bool) {
        let (images, labels) = smallIDX(count: 4, rows: 3, cols: 3)
        let seeds: [[UInt8]] = [
            IDXFile.encode(images), IDXFile.encode(labels),
            IDXFile.encode(IDXArray(shape: [2, 2], storage: .float64([1, -2, 3.5, 1e-9]))),
            IDXFile.encode(IDXArray(shape: [3], storage: .int16([-1, 2, 300]))),
        ].map { gz ? Gzip.compress($0) : $0 }
        var generator = SeededGenerator(seed: 2026, stream: gz ? 1 : 0)
        var parsed = 0, rejected = 0
        for case_ in 0..<4000 {
            let mutated = Self.mutate(seeds[case_ % seeds.count], &generator)
            #expect(Self.check(mutated, gz: gz), "case \(case_): \(mutated)")
            if (try? IDXFile.parse(gz ? (try? Gzip.decompress(mutated, file: "f")) ?? [] : mutated, file: "f")) != nil {
                parsed += 1
            } else {
                rejected += 1
            }
        }
        // Both outcomes occur, so the fuzzer exercises the parser and its checks.
        #expect(parsed > 0 && rejected > 0, "parsed \(parsed), rejected \(rejected)")
    }

    @Test func mutatedDatasetPairsNeverCrash() {
        let (images, labels) = smallIDX(count: 4, rows: 2, cols: 2)
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<2000 {
            let i = Self.mutate(IDXFile.encode(images), &generator)
            let l = Self.mutate(IDXFile.encode(labels), &generator)
            do {
                let a = try IDXFile.parse(i, file: "i"), b = try IDXFile.parse(l, file: "l")
                let data = try IDXDataset.make(images: a, imagesFile: "i", labels: b, labelsFile: "l", classCount: 10)
                #expect(data.count == a.shape[0] && data.labels.allSatisfy { $0 >= 0 && $0 < 10 })
            } catch {
                #expect(!error.problem.isEmpty && (error.file == "i" || error.file == "l"))
            }
        }
    }
}
