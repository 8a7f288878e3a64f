import HoneData
import Testing

@Suite struct CSVTests {
    @Test func readsHeaderQuotesMissingValuesAndStringLabels() throws {
        let text = "\u{FEFF}width,\"height, cm\",species\r\n1.5,2,setosa\r\n\r\n,NA,virginica\n3,?,\"setosa\"\n-1e2,NaN,versicolor\n"
        var options = CSVOptions()
        options.labelColumn = .name("species")
        let table = try CSVReader.parse(Array(text.utf8), file: "iris.csv", options: options)
        #expect(table.featureNames == ["width", "height, cm"])
        #expect(table.rowCount == 4)
        let f = table.features
        #expect(f[0] == 1.5 && f[1] == 2 && f[2].isNaN && f[3].isNaN && f[4] == 3 && f[5].isNaN && f[6] == -100 && f[7].isNaN)
        let data = try table.dataset()
        #expect(data.classNames == ["setosa", "versicolor", "virginica"])
        #expect(data.labels == [0, 2, 0, 1])
        #expect(data.featureShape == [2])
    }

    @Test func numericLabelsByIndexAndNoHeader() throws {
        var options = CSVOptions()
        options.hasHeader = false
        options.labelColumn = .index(0)
        options.delimiter = UInt8(ascii: ";")
        let table = try CSVReader.parse(Array("2;0.5;1\n0;1.5;3\n".utf8), file: "t.csv", options: options)
        #expect(table.featureNames == ["column2", "column3"])
        #expect(table.features == [0.5, 1, 1.5, 3])
        #expect(try table.classLabels().labels == [2, 0])
        #expect(try table.targets() == [2, 0])
        // A quoted feature with a doubled quote decodes to `x"`, which is not a number.
        let error = dataError { try CSVReader.parse(Array("2;0.5;1\n0;1.5;\"x\"\"\"\n".utf8), file: "u.csv", options: options) }
        #expect(error?.line == 2 && error?.problem.contains("\"x\"\"") == true, "\(String(describing: error))")
    }

    @Test func featuresOnlyTable() throws {
        var options = CSVOptions()
        options.labelColumn = nil
        let table = try CSVReader.parse(Array("a,b\n1,2\n3,4".utf8), file: "f.csv", options: options)
        #expect(table.features == [1, 2, 3, 4] && table.labelTexts == nil)
        #expect(dataError { try table.dataset() }?.kind == .invalidArgument)
    }
}

@Suite struct CIFAR10Tests {
    @Test func readsRecordsAsCHW() throws {
        let dir = TemporaryDirectory()
        var bytes: [UInt8] = []
        for r in 0..<3 {
            bytes.append(UInt8(r * 3))
            for c in 0..<3 { bytes += [UInt8](repeating: UInt8(10 * c + r), count: 1024) }
        }
        bytes[1 + 1024 + 5] = 255  // record 0, green plane, pixel (0, 5)
        dir.write("test_batch.bin", bytes)
        _ = dir.write("batches.meta.txt", text: "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n")
        let data = try CIFAR10.load(directory: dir.path, split: .test, scaleToUnitRange: false)
        #expect(data.count == 3 && data.featureShape == [3, 32, 32])
        #expect(data.labels == [0, 3, 6])
        #expect(data.classNames?.first == "a")
        let second = data.example(at: 1).features
        #expect(second[0] == 1 && second[1024] == 11 && second[2048] == 21)
        #expect(data.example(at: 0).features[1024 + 5] == 255)
    }
}
