import ArgumentParser
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

    /// Runs `body` with Ctrl-C handling for `flag` installed (see `installInterruptHandler`); a
    /// run that stops on an interrupt (`RunInterrupted`) prints `hone: …` to standard error and
    /// exits with status 130.
    static func withInterruptHandling(_ flag: InterruptFlag, _ body: () throws -> Void) throws {
        let handler = installInterruptHandler(flag)
        defer { handler.cancel() }
        do {
            try body()
        } catch let e as RunInterrupted {
            FileHandle.standardError.write(Data("hone: \(e)\n".utf8))
            throw ExitCode(130)
        }
    }

    /// The command-line overrides of the config's `search` section shared by `hone tune` and
    /// `hone worker`, checked: trials ≥ 1, timeout > 0.
    static func tuneOptions(trials: Int?, timeout: Double?, study: String?, output: String?, storage: String?,
                            quiet: Bool) throws -> TuneOptions {
        if let trials, trials < 1 { throw ValidationError("--trials must be at least 1") }
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be positive") }
        var options = TuneOptions()
        options.trials = trials; options.timeout = timeout; options.study = study
        options.output = output; options.quiet = quiet; options.storage = storage
        return options
    }

    /// Writes a line to standard output and flushes (progress must show up in pipes too).
    @Sendable static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
