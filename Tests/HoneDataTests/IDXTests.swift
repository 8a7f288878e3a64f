import HoneData
import Testing

@Suite struct IDXTests {
    @Test func everyElementTypeRoundTripsBigEndian() throws {
        let arrays: [IDXArray] = [
            IDXArray(shape: [2, 2], storage: .uint8([0, 1, 254, 255])),
            IDXArray(shape: [3], storage: .int8([-128, 0, 127])),
            IDXArray(shape: [2], storage: .int16([-2, 0x1234])),
            IDXArray(shape: [2, 1], storage: .int32([-7, 0x0102_0304])),
            IDXArray(shape: [2], storage: .float32([1.5, -0.25])),
            IDXArray(shape: [1, 1, 2], storage: .float64([3.25, -1e300])),
        ]
        for array in arrays {
            let bytes = IDXFile.encode(array)
            #expect(Array(bytes[0..<4]) == [0, 0, array.elementType.rawValue, UInt8(array.shape.count)])
            #expect(try IDXFile.parse(bytes, file: "x") == array)
        }
        // Big-endian on disk: int16 0x1234 is stored 12 34; float32 1.5 is 3F C0 00 00.
        let int16 = IDXFile.encode(arrays[2])
        #expect(Array(int16[(int16.count - 2)...]) == [0x12, 0x34])
        let float32 = IDXFile.encode(arrays[4])
        #expect(Array(float32[8..<12]) == [0x3F, 0xC0, 0, 0])
    }

    @Test func readsRawAndGzipFilesAlike() throws {
        let dir = TemporaryDirectory()
        let (images, _) = smallIDX()
        let raw = dir.write("images-idx3-ubyte", IDXFile.encode(images))
        let gz = dir.write("images-idx3-ubyte.gz", Gzip.compress(IDXFile.encode(images)))
        #expect(try IDXFile.read(path: raw) == images)
        #expect(try IDXFile.read(path: gz) == images)
    }

    @Test func concatenatedGzipMembersAreOneStream() throws {
        let a: [UInt8] = Array("hello ".utf8), b: [UInt8] = Array("world".utf8)
        let joined = Gzip.compress(a) + Gzip.compress(b, level: 9)
        #expect(try Gzip.decompress(joined, file: "two.gz") == a + b)
    }

    @Test func gzipRoundTripsLargeAndEmptyInputs() throws {
        let big = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 % 251 ^ ($0 >> 9)) }
        #expect(try Gzip.decompress(Gzip.compress(big), file: "big.gz") == big)
        #expect(try Gzip.decompress(Gzip.compress([]), file: "empty.gz") == [])
    }

    @Test func datasetScalesPixelsAndKeepsShape() throws {
        let (images, labels) = smallIDX(count: 5, rows: 2, cols: 2)
        let data = try IDXDataset.make(images: images, imagesFile: "i", labels: labels, labelsFile: "l")
        #expect(data.count == 5)
        #expect(data.featureShape == [2, 2])
        #expect(data.classCount == 3)
        if case .uint8(let pixels) = images.storage {
            #expect(data.features == pixels.map { Float($0) / 255 })
        }
        #expect(data.labels == [0, 1, 2, 0, 1])
    }
}
