import Foundation
import HoneConfig
import HoneRun

/// Shared pieces of the run commands: config loading, Ctrl-C handling, output.
enum RunSupport {
    /// The config at `path`, or the embedded default when nil.
    static func loadConfig(_ path: String?) throws -> HoneConfig {
        guard let path else { return try HoneConfig.embeddedDefault() }
        return try HoneConfig.load(path: path)
    }

    /// Ctrl-C raises `flag` (the running trial stops at its next batch and is recorded as
    /// interrupted); a second Ctrl-C exits at once.
    static func installInterruptHandler(_ flag: InterruptFlag) -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if flag.isSet { FileHandle.standardError.write(Data("\nhone: interrupted again; exiting now\n".utf8)); exit(130) }
            FileHandle.standardError.write(Data("\nhone: stopping after the current batch (Ctrl-C again to quit now)\n".utf8))
            flag.raise()
        }
        source.resume()
        return source
    }

    /// Writes a line to standard output and flushes (progress must show up in pipes too).
    @Sendable static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
