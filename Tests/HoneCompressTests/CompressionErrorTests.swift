import HoneCompress
import Testing

@Test func compressionErrorMessagesNameTheSettingAndTheExpectation() {
    #expect(CompressionError.invalidSparsity(1.2).description == "invalid sparsity 1.2: expected a value in [0, 1)")
    #expect(CompressionError.missingTeacher(path: nil).description.contains("compress.distill.teacher"))
    #expect(CompressionError.unsupportedLayer(method: "structured pruning", layer: "LSTM", path: "1").description
        == "structured pruning does not support layer 1 (LSTM)")
}
