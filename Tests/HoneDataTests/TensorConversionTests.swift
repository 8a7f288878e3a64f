import HoneData
import HoneTensor
import Testing

@Suite struct TensorConversionTests {
    @Test func batchesAndDatasetsBecomeTensors() {
        let data = InMemoryDataset(features: Tensor(shape: [3, 2, 2], scalars: (0..<12).map(Float.init)), labels: [0, 1, 0])
        #expect(data.featureShape == [2, 2] && data.classCount == 2)
        #expect(data.featureTensor.shape == [3, 2, 2] && data.featureTensor.scalars == data.features)
        let batch = data.gather([2, 0])
        #expect(batch.featureTensor.shape == [2, 2, 2])
        let nchw = batch.featureTensor(exampleShape: [1, 2, 2])
        #expect(nchw.shape == [2, 1, 2, 2] && nchw.scalars == [8, 9, 10, 11, 0, 1, 2, 3])
        #expect(batch.featureTensor(exampleShape: [4]).shape == [2, 4])
    }
}
