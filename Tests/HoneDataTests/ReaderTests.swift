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

@Suite struct DataSourceTests {
    @Test func bundledAndIDXDirectory() throws {
        let bundled = try DataSource.bundled.load()
        #expect(bundled.train.count == 8_000 && bundled.test.classNames == FashionMNIST.classNames)
        let dir = TemporaryDirectory()
        let (images, labels) = smallIDX(count: 6)
        for prefix in ["train", "t10k"] {
            dir.write("\(prefix)-images-idx3-ubyte.gz", Gzip.compress(IDXFile.encode(images)))
            dir.write("\(prefix)-labels-idx1-ubyte", IDXFile.encode(labels))
        }
        let data = try DataSource.idx(directory: dir.path, classNames: nil).load()
        #expect(data.train.count == 6 && data.test.featureShape == [4, 3] && data.train.classCount == 3)
        let missing = dataError { try DataSource.fashionMNIST(directory: dir.path + "/x").load() }
        #expect(missing?.kind == .unreadable && missing?.problem.contains("dataset-fashion-mnist") == true)
    }

    @Test func csvTrainTestShareClassNumbering() throws {
        let dir = TemporaryDirectory()
        let train = dir.write("train.csv", text: "a,b,y\n1,2,cat\n3,4,dog\n5,6,emu\n")
        let test = dir.write("test.csv", text: "a,b,y\n7,8,emu\n9,10,cat\n")
        let data = try DataSource.csv(train: train, test: test, options: CSVOptions()).load()
        #expect(data.train.labels == [0, 1, 2] && data.test.labels == [2, 0])
        #expect(data.test.classNames == ["cat", "dog", "emu"])
        let unknown = dir.write("unknown.csv", text: "a,b,y\n1,1,yak\n")
        let error = dataError { try DataSource.csv(train: train, test: unknown, options: CSVOptions()).load() }
        #expect(error?.file == unknown && error?.problem.contains("yak") == true)
        let other = dir.write("other.csv", text: "a,c,y\n1,1,cat\n")
        #expect(dataError { try DataSource.csv(train: train, test: other, options: CSVOptions()).load() }?.kind == .sizeMismatch)
    }

    @Test func csvWithoutTestFileIsSplitStratified() throws {
        let dir = TemporaryDirectory()
        var text = "x,label\n"
        for i in 0..<50 { text += "\(i),\(i % 2)\n" }
        let path = dir.write("all.csv", text: text)
        let data = try DataSource.csv(train: path, test: nil, options: CSVOptions()).load(testFraction: 0.2, seed: 3)
        #expect(data.train.count == 40 && data.test.count == 10)
        #expect(data.test.classHistogram() == [5, 5])
    }
}
