// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Nurture",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nurture", targets: ["nurture"]),
        .library(name: "NurtureCore", targets: ["NurtureCore"]),
        .library(name: "NurtureDefinitions", targets: ["NurtureDefinitions"]),
        .library(name: "NurturePersonas", targets: ["NurturePersonas"]),
        .library(name: "NurtureMail", targets: ["NurtureMail"]),
        .library(name: "NurtureSMTP", targets: ["NurtureSMTP"]),
        .library(name: "NurtureStore", targets: ["NurtureStore"]),
        .library(name: "NurtureScheduler", targets: ["NurtureScheduler"]),
        .library(name: "NurtureOperations", targets: ["NurtureOperations"]),
        .library(name: "NurtureSimulator", targets: ["NurtureSimulator"]),
        .library(name: "NurturePresentation", targets: ["NurturePresentation"]),
        .plugin(name: "ValidateSequences", targets: ["ValidateSequences"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink.git", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Small pieces any target may use: counts and percents as reports write them, FNV-1a.
        .target(name: "NurtureBasics"),
        // The pure engine: domain types, scoring, stages, send windows, the sequence state machine.
        .target(name: "NurtureCore"),
        // Who the simulated prospects are: behaviour personas and the population mix they are drawn
        // from. Loaded by the definitions, run by the simulator; the engine never sees them.
        .target(name: "NurturePersonas", dependencies: ["NurtureCore"]),
        // YAML definitions, lead files and event logs -> Core types, with path:line:col diagnostics.
        .target(
            name: "NurtureDefinitions",
            dependencies: [
                "NurtureCore", "NurturePersonas",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // Personas, the virtual clock, the parallel Monte Carlo run and its reports.
        .target(name: "NurtureSimulator", dependencies: ["NurtureBasics", "NurtureCore", "NurturePersonas"]),
        // libcurl, for SMTP: a module map and typed wrappers for its variadic setters.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Delivery through an SMTP relay: connections, TLS, auth, pacing, reply classification.
        .target(name: "NurtureSMTP", dependencies: ["CCurl"]),
        // Persistence: the storage protocol and its SQLite implementation.
        .target(name: "NurtureStore", dependencies: ["NurtureBasics", "NurtureCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Signed JSON posts to a webhook over libcurl, for CRMs and chat tools that take rep notices.
        .target(name: "NurtureWebhook", dependencies: ["CCurl", .product(name: "Crypto", package: "swift-crypto")]),
        // Signed link tokens (unsubscribe, tracking) under a keyring kept outside the database.
        .target(name: "NurtureTokens", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The same store protocols on PostgreSQL, for several schedulers on several machines sharing
        // one workload: claims by `FOR UPDATE SKIP LOCKED`, pooled connections, versioned migrations.
        .target(
            name: "NurturePostgres",
            dependencies: [
                "NurtureCore", "NurtureStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The web service: one-click unsubscribe, health; built on Hummingbird.
        .target(
            name: "NurtureServer",
            dependencies: [
                "NurtureBasics", "NurtureCore", "NurtureStore", "NurtureMail", "NurtureOperations", "NurtureTokens", "NurtureDefinitions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Use cases over the store that the command line, the scheduler and the web service share:
        // event intake, the hand-off ledger, rep requests, notices and the SLA report.
        .target(name: "NurtureOperations", dependencies: ["NurtureBasics", "NurtureCore", "NurtureDefinitions", "NurtureStore", "NurtureMail"]),
        // The run loop: claim due work, run the engine, render, send, record.
        .target(
            name: "NurtureScheduler",
            dependencies: [
                "NurtureBasics", "NurtureCore", "NurtureStore", "NurtureMail", "NurtureSMTP", "NurtureOperations", "NurtureWebhook",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Templates filled in for one lead: the fields they see, and strict rendering.
        .target(
            name: "NurtureMail",
            dependencies: [
                "NurtureBasics", "NurtureCore", "NurtureTokens",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
            ]
        ),
        // How `explain` and `trace` show a sequence and one lead's path through it: text, Mermaid, DOT.
        .target(name: "NurturePresentation", dependencies: ["NurtureCore", "NurtureMail"]),
        // The command line.
        .executableTarget(
            name: "nurture",
            dependencies: [
                "NurtureBasics", "NurtureCore", "NurtureDefinitions", "NurtureMail", "NurturePersonas", "NurtureSimulator", "NurtureSMTP",
                "NurtureStore", "NurtureScheduler", "NurtureOperations", "NurtureWebhook", "NurtureTokens", "NurtureServer", "NurturePresentation",
                "NurturePostgres", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Simulator throughput and memory on a standard scenario: `swift run -c release nurture-bench`.
        .executableTarget(
            name: "nurture-bench",
            dependencies: [
                "NurtureBasics", "NurtureCore", "NurturePersonas", "NurtureSimulator", "NurtureSMTP", "NurtureStore",
                "NurtureScheduler", "NurtureMail", "NurtureDefinitions", "NurtureTokens", "NurturePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `swift package validate-sequences`: runs `nurture validate` and re-emits its diagnostics.
        .plugin(
            name: "ValidateSequences",
            capability: .command(
                intent: .custom(verb: "validate-sequences", description: "Validate lifecycle, scoring and sequence definitions")
            ),
            dependencies: ["nurture"]
        ),
        // What the test targets share: running the built `nurture`, scratch folders, ports, child
        // processes and the SMTP servers on loopback.
        .target(name: "NurtureTestSupport", dependencies: [.product(name: "GRDB", package: "GRDB.swift")], path: "Tests/NurtureTestSupport"),
        .testTarget(
            name: "NurtureCoreTests",
            // The store too: its compact form of the engine state is checked on the states the engine's
            // property tests reach.
            dependencies: ["NurtureCore", "NurtureStore", "NurtureTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        // The store behind its protocols: leases, stored forms, and what a PostgreSQL store must match.
        .testTarget(
            name: "NurtureStoreTests",
            dependencies: [
                "NurtureStore", "NurturePostgres", "NurtureCore", "NurtureTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "NurtureMailTests",
            dependencies: ["NurtureMail", "NurtureTokens", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "NurtureSMTPTests",
            dependencies: ["NurtureSMTP", "NurtureMail", "NurtureTokens", "NurtureCore", "NurtureDefinitions", "NurtureTestSupport", "nurture"]
        ),
        .testTarget(
            name: "NurtureSimulatorTests",
            dependencies: [
                "NurtureSimulator", "NurtureBasics", "NurtureCore", "NurturePersonas", "NurtureDefinitions", "NurtureTestSupport",
                "nurture", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "NurtureDefinitionsTests",
            dependencies: ["NurtureDefinitions", "NurturePresentation", "NurtureTestSupport", "nurture"],
            exclude: ["Broken"]
        ),
        // Hostile and careless input: one suite, one test per way such input once did harm.
        .testTarget(
            name: "NurtureHostileInputTests",
            dependencies: [
                "NurtureCore", "NurtureDefinitions", "NurtureMail", "NurtureSMTP", "NurtureStore", "NurtureTokens", "NurtureTestSupport", "nurture",
            ]
        ),
        .testTarget(
            name: "NurtureOperationsTests",
            dependencies: [
                "NurtureOperations", "NurtureStore", "NurtureCore", "NurtureDefinitions", "NurtureWebhook", "NurtureTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "NurtureServerTests",
            dependencies: [
                "NurtureServer", "NurtureTokens", "NurtureStore", "NurtureCore", "NurtureDefinitions", "NurtureTestSupport", "nurture",
                // A tracked email sent by the scheduler, clicked through the service.
                "NurtureScheduler", "NurtureSMTP", "NurtureMail",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdAuthTesting", package: "hummingbird-auth"),
            ]
        ),
        .testTarget(
            name: "NurtureSchedulerTests",
            dependencies: [
                "NurtureScheduler", "NurtureStore", "NurtureCore", "NurtureDefinitions", "NurtureMail", "NurtureSMTP",
                "NurtureOperations", "NurtureTokens", "NurtureTestSupport", "nurture",
                // The paired check: the dry-run's story of a prospect, replayed through the scheduler.
                "NurtureSimulator", "NurturePersonas",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
