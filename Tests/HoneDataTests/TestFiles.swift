import Foundation
import HoneData

/// A fresh temporary directory per test, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "hone-data-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` inside the directory and returns the full path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let file = path + "/" + name
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }

    func write(_ name: String, text: String) -> String { write(name, Array(text.utf8)) }
}

/// Small valid MNIST-style arrays: `count` images of `rows × cols` and their labels.
func smallIDX(count: Int = 6, rows: Int = 4, cols: Int = 3) -> (images: IDXArray, labels: IDXArray) {
    let pixels = (0..<(count * rows * cols)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    let labels = (0..<count).map { UInt8($0 % 3) }
    return (IDXArray(shape: [count, rows, cols], storage: .uint8(pixels)), IDXArray(shape: [count], storage: .uint8(labels)))
}

/// Runs `body` and returns the `DataError` it throws (nil if it returns normally).
func dataError<T>(_ body: () throws -> T) -> DataError? {
    do { _ = try body(); return nil } catch let error as DataError { return error } catch {
        fatalError("expected a DataError, got \(error)")
    }
}
