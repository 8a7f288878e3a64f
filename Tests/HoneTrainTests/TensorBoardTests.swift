import Foundation
import Testing
import HoneTestSupport
import HoneTrain

/// Test vectors from the field guide (§8.4), checked there with TensorBoard's protobuf and CRC.
@Suite struct TensorBoardTests {
    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    func u32(_ b: [UInt8], _ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[at + $1]) << (8 * $1) } }

    @Test func fileMatchesTheReferenceBytes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-tb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tb = try TensorBoardWriter(directory: dir, clock: { 1.0 })
        try tb.add(scalar: 0.5, tag: "loss", step: 1)
        try tb.close()
        #expect(tb.url.lastPathComponent.hasPrefix("events.out.tfevents.0000000001."))
        let bytes = [UInt8](try Data(contentsOf: tb.url))

        // Record 1: the file_version event.
        let e1 = "09000000000000f03f1a0d627261696e2e4576656e743a32"
        let n1 = e1.count / 2
        #expect(bytes[0..<8].elementsEqual(withUnsafeBytes(of: UInt64(n1).littleEndian, Array.init)))
        #expect(u32(bytes, 8) == 0x224b_7fa3)
        #expect(hex(Array(bytes[12..<(12 + n1)])) == e1)
        #expect(u32(bytes, 12 + n1) == 0x7a57_bf86)

        // Record 2: wall 1.0, step 1, "loss" = 0.5.
        let r2 = 12 + n1 + 4
        let e2 = "09000000000000f03f10012a0d0a0b0a046c6f7373150000003f"
        let n2 = e2.count / 2
        #expect(u32(bytes, r2 + 8) == 0x2dd8_9b12)
        #expect(hex(Array(bytes[(r2 + 12)..<(r2 + 12 + n2)])) == e2)
        #expect(u32(bytes, r2 + 12 + n2) == 0xb15d_f927)
        #expect(bytes.count == r2 + 12 + n2 + 4)
    }

    @Test func pythonTensorBoardReadsTheScalars() throws {
        let python = ProcessInfo.processInfo.environment["HONE_PYTHON"] ?? "python3"
        guard try runToCompletion("/usr/bin/env", [python, "-c", "import tensorboard"], timeout: 300).status == 0 else {
            print("TensorBoardTests: Python package 'tensorboard' is missing; skipping the read-back test")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-tb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tb = try TensorBoardWriter(directory: dir)
        for step in 1...5 { try tb.add(scalars: ["loss/train": 1.0 / Double(step), "accuracy": 0.1 * Double(step)], step: step) }
        try tb.close()
        let script = """
        import sys
        from tensorboard.backend.event_processing import event_accumulator as ea
        acc = ea.EventAccumulator(sys.argv[1]); acc.Reload()
        for tag in sorted(acc.Tags()['scalars']):
            print(tag, ' '.join('%d:%.4f' % (e.step, e.value) for e in acc.Scalars(tag)))
        """
        let r = try runToCompletion("/usr/bin/env", [python, "-c", script, dir.path], timeout: 300)
        let out = r.stdout
        #expect(r.status == 0, "\(r.stderr)")
        #expect(out.contains("accuracy 1:0.1000 2:0.2000 3:0.3000 4:0.4000 5:0.5000"))
        #expect(out.contains("loss/train 1:1.0000 2:0.5000 3:0.3333 4:0.2500 5:0.2000"))
    }
}
