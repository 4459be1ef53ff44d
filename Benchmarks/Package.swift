// swift-tools-version:6.2
import PackageDescription

// Micro-benchmarks (ordo-one/benchmark), in a package of their own so the tests never build them.
// Run: swift package --package-path Benchmarks --disable-sandbox benchmark
// The load generator: swift run -c release --package-path Benchmarks postern-loadtest --help
let package = Package(
    name: "PosternBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Postern", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "postern-loadtest",
            dependencies: [
                .product(name: "PosternCore", package: "Postern"),
                .product(name: "PosternVerify", package: "Postern"),
                .product(name: "PosternStore", package: "Postern"),
                .product(name: "PosternDelivery", package: "Postern"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/LoadGenerator"
        ),
        .executableTarget(
            name: "VerifierBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PosternCore", package: "Postern"),
                .product(name: "PosternVerify", package: "Postern"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/VerifierBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "IngestBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PosternCore", package: "Postern"),
                .product(name: "PosternVerify", package: "Postern"),
                .product(name: "PosternStore", package: "Postern"),
                .product(name: "PosternServer", package: "Postern"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/IngestBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
