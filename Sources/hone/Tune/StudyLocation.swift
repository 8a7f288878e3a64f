import ArgumentParser
import HoneTune

/// `--storage URL --study NAME`: the existing study that `hone tell`, `hone heartbeat` and
/// `hone studies show|export` work on.
///
/// ```swift
/// struct Show: ParsableCommand {
///     @OptionGroup var location: StudyLocation
///     func run() throws { print(try location.open().name) }
/// }
/// ```
struct StudyLocation: ParsableArguments {
    @Option(help: "Storage URL.") var storage: String
    @Option(help: "Study name.") var study: String

    /// The study; throws `TuneError.studyNotFound` when the storage has none of that name.
    func open() throws -> Study { try TuneCLI.openStudy(storage: storage, name: study) }
}
