import Foundation
import HoneData
import Testing

/// Issue 3's bad-input list: each case throws a `DataError` naming the file and the problem.
@Suite struct BadInputTests {
    let dir = TemporaryDirectory()

    @Test func truncatedGzipNamesFileAndProblem() {
        let gz = Gzip.compress(IDXFile.encode(smallIDX().images))
        for cut in [gz.count - 1, gz.count - 8, gz.count / 2, 11] {
            let path = dir.write("cut\(cut)-images.gz", Array(gz[..<cut]))
            let error = dataError { try IDXFile.read(path: path) }
            #expect(error?.kind == .corruptCompression)
            #expect(error?.file == path)
            #expect(error.map { "\($0)".contains(path) && "\($0)".contains("truncated") } == true, "\(String(describing: error))")
        }
    }

    @Test func corruptGzipCRCAndISIZEAreCaught() {
        var gz = Gzip.compress(IDXFile.encode(smallIDX().images), level: 0)  // stored block: payload bytes are verbatim
        // Flip a payload byte: the deflate stream stays valid, so only the CRC-32 can catch it.
        gz[gz.count - 20] ^= 0x40
        let crcPath = dir.write("crc.gz", gz)
        let crc = dataError { try IDXFile.read(path: crcPath) }
        #expect(crc?.kind == .corruptCompression)
        #expect(crc.map { "\($0)".contains("crc.gz") && "\($0)".contains("CRC-32") } == true, "\(String(describing: crc))")

        var sizeWrong = Gzip.compress(IDXFile.encode(smallIDX().images))
        sizeWrong[sizeWrong.count - 4] &+= 1  // ISIZE, the last 4 bytes
        let sizePath = dir.write("isize.gz", sizeWrong)
        let isize = dataError { try IDXFile.read(path: sizePath) }
        #expect(isize.map { "\($0)".contains("isize.gz") && "\($0)".contains("ISIZE") } == true, "\(String(describing: isize))")

        var header = Gzip.compress([1, 2, 3])
        header[2] = 7  // compression method must be 8 (deflate)
        let headerPath = dir.write("header.gz", header)
        #expect(dataError { try IDXFile.read(path: headerPath) }?.kind == .corruptCompression)

        let trailing = dir.write("trailing.gz", Gzip.compress([1, 2, 3]) + [0x42, 0x42])
        #expect(dataError { try Gzip.decompress(try! HoneDataTestRead.bytes(trailing), file: trailing) }?.problem.contains("after the end") == true)
    }

    @Test func wrongIDXMagic() {
        var bytes = IDXFile.encode(smallIDX().images)
        bytes[0] = 0x1F
        let path = dir.write("magic-idx3-ubyte", bytes)
        let error = dataError { try IDXFile.read(path: path) }
        #expect(error?.kind == .badMagic)
        #expect(error.map { "\($0)".hasPrefix(path) && "\($0)".contains("magic") } == true)

        var type = IDXFile.encode(smallIDX().images)
        type[2] = 0x0A
        let typePath = dir.write("type-idx3-ubyte", type)
        #expect(dataError { try IDXFile.read(path: typePath) }?.kind == .badMagic)
    }

    @Test func headerDimensionsDisagreeWithFileSize() {
        let bytes = IDXFile.encode(smallIDX().images)
        let short = dir.write("short", Array(bytes.dropLast(5)))
        let long = dir.write("long", bytes + [0, 0])
        let tiny = dir.write("tiny", Array(bytes[0..<9]))
        var huge = bytes
        huge[4...7] = [0xFF, 0xFF, 0xFF, 0xFF]
        let hugePath = dir.write("huge", huge)
        for path in [short, long, tiny, hugePath] {
            let error = dataError { try IDXFile.read(path: path) }
            #expect(error?.kind == .sizeMismatch, "\(path): \(String(describing: error))")
            #expect(error?.file == path)
        }
    }

    @Test func imageLabelCountMismatch() {
        let (images, _) = smallIDX(count: 6)
        let (_, labels) = smallIDX(count: 5)
        let imagePath = dir.write("images.gz", Gzip.compress(IDXFile.encode(images)))
        let labelPath = dir.write("labels.gz", Gzip.compress(IDXFile.encode(labels)))
        let error = dataError { try IDXDataset.load(images: imagePath, labels: labelPath) }
        #expect(error?.kind == .countMismatch)
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains(imagePath) && text.contains(labelPath) && text.contains("6 images") && text.contains("5 labels"))
    }

    @Test func labelsMustBeIntegersInRange() {
        let (images, _) = smallIDX(count: 2)
        let floatLabels = IDXArray(shape: [2], storage: .float32([0, 1]))
        #expect(dataError {
            try IDXDataset.make(images: images, imagesFile: "i", labels: floatLabels, labelsFile: "l")
        }?.kind == .unsupportedType)
        let big = IDXArray(shape: [2], storage: .uint8([3, 12]))
        let error = dataError {
            try IDXDataset.make(images: images, imagesFile: "i", labels: big, labelsFile: "l", classCount: 10)
        }
        #expect(error?.kind == .badValue && error?.file == "l")
    }

    @Test func missingFileSaysWhereItLooked() {
        let error = dataError { try FashionMNIST.load(directory: dir.path + "/nowhere", split: .train) }
        #expect(error?.kind == .unreadable)
        #expect(error.map { "\($0)".contains("nowhere/train-images-idx3-ubyte") && "\($0)".contains("dataset-fashion-mnist") } == true)
        #expect(dataError { try IDXFile.read(path: dir.path) }?.problem.contains("directory") == true)
    }

    @Test func csvRaggedRowNamesFileAndLine() {
        let path = dir.write("ragged.csv", text: "a,b,label\n1,2,0\n3,4,1\n5,6\n7,8,0\n")
        let error = dataError { try CSVReader.read(path: path) }
        #expect(error?.kind == .raggedRow)
        #expect(error?.line == 4)
        #expect(error.map { "\($0)".hasPrefix(path + ":4:") && "\($0)".contains("2 fields, expected 3") } == true)
    }

    @Test func csvNonNumericFeatureAndMissingLabel() {
        let word = dir.write("word.csv", text: "a,b,label\n1,x2,0\n")
        let e1 = dataError { try CSVReader.read(path: word) }
        #expect(e1?.kind == .badValue && e1?.line == 2 && e1?.problem.contains("\"b\"") == true)
        let noLabel = dir.write("nolabel.csv", text: "a,label\n1,0\n2,NA\n")
        let e2 = dataError { try CSVReader.read(path: noLabel) }
        #expect(e2?.kind == .badValue && e2?.line == 3)
        let quote = dir.write("quote.csv", text: "a,label\n\"1,0\n")
        #expect(dataError { try CSVReader.read(path: quote) }?.line == 2)
        let column = dir.write("col.csv", text: "a,label\n1,0\n")
        var options = CSVOptions()
        options.labelColumn = .name("lable")
        let e3 = dataError { try CSVReader.read(path: column, options: options) }
        #expect(e3?.kind == .invalidArgument && e3?.problem.contains("\"label\"") == true)
    }

    @Test func cifarBadSizeAndLabel() {
        let truncated = dir.write("data_batch_1.bin", [UInt8](repeating: 1, count: 3073 * 2 - 10))
        let e1 = dataError { try CIFAR10.loadBatches(paths: [truncated]) }
        #expect(e1?.kind == .sizeMismatch && e1?.file == truncated)
        var records = [UInt8](repeating: 0, count: 3073 * 3)
        records[3073 * 2] = 10
        let badLabel = dir.write("test_batch.bin", records)
        let e2 = dataError { try CIFAR10.loadBatches(paths: [badLabel]) }
        #expect(e2?.kind == .badValue && e2?.problem.contains("record 2") == true)
        let e3 = dataError { try CIFAR10.load(directory: dir.path + "/none", split: .test) }
        #expect(e3?.kind == .unreadable && e3?.file.hasSuffix("none/test_batch.bin") == true)
    }
}

enum HoneDataTestRead {
    static func bytes(_ path: String) throws -> [UInt8] {
        Array(FileManager.default.contents(atPath: path)!)
    }
}
