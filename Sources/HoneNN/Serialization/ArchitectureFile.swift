import Foundation

extension ModelFile {
    /// Writes `architecture` as JSON next to a weights file (atomically: temp file, fsync, rename).
    ///
    /// ```swift
    /// try ModelFile.writeArchitecture(try Architecture(describing: model), to: URL(fileURLWithPath: "model.json"))
    /// ```
    public static func writeArchitecture(_ architecture: Architecture, to url: URL) throws {
        try AtomicFile.write([UInt8](try architecture.jsonData()), to: url)
    }
}
