import ArgumentParser

/// `hone-distributed`: the data-parallel / pipeline-parallel checks and benchmarks, in an
/// executable of their own so that an MPI build (`--traits MPI`) needs no database client.
@main
struct HoneDistributedMain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hone-distributed",
        abstract: "Distributed-training checks and benchmarks (threads, or MPI ranks under mpirun).",
        subcommands: [DistributedBench.self],
        defaultSubcommand: DistributedBench.self)
}
