// swift-tools-version: 6.2
import PackageDescription

// Module map: see docs/ARCHITECTURE.md. Arrows point down only.
let package = Package(
    name: "Hone",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "HoneTensor", targets: ["HoneTensor"]),
        .library(name: "HoneData", targets: ["HoneData"]),
        .library(name: "HoneNN", targets: ["HoneNN"]),
        .library(name: "HoneTrain", targets: ["HoneTrain"]),
        .library(name: "HoneTune", targets: ["HoneTune"]),
        .library(name: "HoneReport", targets: ["HoneReport"]),
        .library(name: "HoneCompress", targets: ["HoneCompress"]),
        .library(name: "HoneRobust", targets: ["HoneRobust"]),
        .library(name: "HoneTunePostgres", targets: ["HoneTunePostgres"]),
        .library(name: "HoneDistributed", targets: ["HoneDistributed"]),
        .executable(name: "hone", targets: ["hone"]),
        .executable(name: "hone-bench", targets: ["hone-bench"]),
        .executable(name: "hone-distributed", targets: ["hone-distributed"]),
    ],
    // `--traits MPI` builds HoneDistributed's Open MPI communicator (needs libopenmpi-dev);
    // the default build needs no MPI.
    traits: [
        .trait(name: "MPI", description: "Data- and pipeline-parallel training over Open MPI (libopenmpi-dev)"),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
    ],
    targets: [
        // Innermost SIMD micro-kernels, compiled per instruction set and chosen at run time.
        // No unsafe compiler flags: Hone must stay usable as an ordinary versioned dependency.
        .target(name: "HoneKernels"),
        // Deterministic, seedable random numbers shared by the tensor and tuning code.
        .target(name: "HoneRandom"),
        // Raw-pointer compute: GEMM packing/blocking, conv lowering, thread pool. No Tensor type,
        // so kernels can be tested and benchmarked on their own.
        .target(name: "HoneCompute", dependencies: ["HoneKernels"]),
        .target(name: "HoneTensor", dependencies: ["HoneCompute", "HoneKernels", "HoneRandom"]),
        // The system zlib, for reading gzip-compressed data files (Foundation on Linux has no gzip).
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "HoneData", dependencies: ["HoneTensor", "HoneRandom", "CZlib"],
            resources: [.copy("Resources/fashion-mnist-subset")]
        ),
        .target(name: "HoneNN", dependencies: ["HoneTensor", "HoneRandom"]),
        .target(name: "HoneTrain", dependencies: ["HoneNN", "HoneData"]),
        // Black-box hyperparameter search: imports no tensor code.
        .target(
            name: "HoneTune",
            dependencies: ["HoneRandom", .product(name: "SQLiteNIO", package: "sqlite-nio")]
        ),
        // PostgreSQL study storage (issue 8): kept out of HoneTune so only its users pay for PostgresNIO.
        .target(
            name: "HoneTunePostgres",
            dependencies: ["HoneTune", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        // Open MPI's C API, only with the MPI trait.
        .systemLibrary(
            name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"])]
        ),
        // Data-parallel and pipeline-parallel training over a Communicator (in-process threads,
        // or Open MPI with the MPI trait).
        .target(
            name: "HoneDistributed",
            dependencies: ["HoneNN", "HoneTrain", "HoneData", .target(name: "CMPI", condition: .when(traits: ["MPI"]))]
        ),
        // YAML run configs: typed sections, search ranges, errors with file/line/field path.
        .target(name: "HoneConfig", dependencies: ["HoneTune", .product(name: "Yams", package: "Yams")]),
        // Self-contained HTML/SVG reports; sees study records only.
        .target(name: "HoneReport", dependencies: ["HoneTune"]),
        // Glue for the CLI's runs: config → data, model, training, study, artifacts, report.
        .target(name: "HoneRun", dependencies: ["HoneConfig", "HoneTrain", "HoneTune", "HoneReport", "HoneCompute"]),
        // Pruning, int8 quantization (with int8 kernels), distillation, ONNX export (issue 6).
        .target(name: "HoneCompress", dependencies: ["HoneNN", "HoneTrain", "HoneData", "HoneCompute", "HoneKernels", "HoneRandom"]),
        // Attacks, adversarial training, input defences and robustness evaluation (issue 7).
        .target(name: "HoneRobust", dependencies: ["HoneNN", "HoneTrain", "HoneData", "HoneRandom", "HoneReport"]),
        .executableTarget(
            name: "hone",
            dependencies: [
                "HoneTensor", "HoneTune", "HoneRun", "HoneConfig", "HoneNN", "HoneTrain",
                "HoneCompress", "HoneRobust", "HoneTunePostgres", "HoneDistributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "hone-bench",
            dependencies: [
                "HoneCompute", "HoneTensor", "HoneData", "HoneNN", "HoneTrain", "HoneTune", "HoneCompress", "HoneTunePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Data-/pipeline-parallel checks and benchmarks; no database client, so `--traits MPI`
        // builds stay small.
        .executableTarget(
            name: "hone-distributed",
            dependencies: [
                "HoneCompute", "HoneTensor", "HoneData", "HoneNN", "HoneTrain", "HoneDistributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Child processes for the tests that run Hone's executables or Python readers.
        .target(name: "HoneTestSupport", dependencies: ["HoneCompute"], path: "Tests/HoneTestSupport"),
        .testTarget(name: "HoneRandomTests", dependencies: ["HoneRandom"]),
        .testTarget(name: "HoneComputeTests", dependencies: ["HoneCompute", "HoneKernels", "HoneRandom", "HoneTestSupport"]),
        .testTarget(name: "HoneTensorTests", dependencies: ["HoneTensor", "HoneCompute", "HoneTestSupport"]),
        .testTarget(name: "HoneDataTests", dependencies: ["HoneData", "HoneTensor", "HoneRandom"]),
        .testTarget(name: "HoneNNTests", dependencies: ["HoneNN", "HoneTestSupport"]),
        .testTarget(name: "HoneTrainTests", dependencies: ["HoneTrain", "HoneTestSupport"]),
        .testTarget(name: "HoneTuneTests", dependencies: ["HoneTune", "HoneTestSupport"]),
        .testTarget(name: "HoneConfigTests", dependencies: ["HoneConfig", "HoneTune"]),
        .testTarget(name: "HoneRunTests", dependencies: ["HoneRun", "HoneConfig", "HoneNN", "HoneTune", "HoneTestSupport"]),
        .testTarget(name: "HoneReportTests", dependencies: ["HoneReport", "HoneTune"]),
        .testTarget(name: "HoneCompressTests", dependencies: ["HoneCompress", "HoneNN", "HoneTrain", "HoneData", "HoneKernels", "HoneCompute", "HoneTestSupport"]),
        .testTarget(name: "HoneTunePostgresTests", dependencies: ["HoneTunePostgres", "HoneTune", "HoneTestSupport"]),
        .testTarget(name: "HoneDistributedTests", dependencies: ["HoneDistributed", "HoneNN", "HoneTrain", "HoneData", "HoneTensor"]),
        .testTarget(name: "HoneRobustTests", dependencies: ["HoneRobust", "HoneNN", "HoneTrain", "HoneData"]),
    ],
    swiftLanguageModes: [.v6]
)
