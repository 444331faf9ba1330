/// Where a run's results come from. Deliberately without times, hosts,
/// thread counts or absolute paths, so outputs are byte-identical across runs.
public struct Provenance: Sendable {
    public static let engineVersion = "0.2.0"

    /// The processor architecture and operating system this engine was compiled for, e.g.
    /// `x86_64-linux` or `arm64-macos`: fixed at compile time, never read from the host, so it
    /// is the same in every run of one build. Results are byte-identical only between runs of
    /// one engine version on one platform (floating-point library functions such as `log` and
    /// `exp` may differ in the last bit elsewhere); `pva check` reads it to choose between a
    /// byte-for-byte and a statistical comparison.
    public static let platform: String = {
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #elseif arch(i386)
        let arch = "i386"
        #elseif arch(arm)
        let arch = "arm"
        #elseif arch(powerpc64le)
        let arch = "powerpc64le"
        #elseif arch(s390x)
        let arch = "s390x"
        #elseif arch(wasm32)
        let arch = "wasm32"
        #else
        let arch = "unknown"
        #endif
        #if os(Linux)
        let system = "linux"
        #elseif os(macOS)
        let system = "macos"
        #elseif os(Windows)
        let system = "windows"
        #elseif os(FreeBSD)
        let system = "freebsd"
        #elseif os(Android)
        let system = "android"
        #elseif os(iOS)
        let system = "ios"
        #elseif os(WASI)
        let system = "wasi"
        #else
        let system = "unknown"
        #endif
        return arch + "-" + system
    }()

    public var seed: UInt64
    public var replicates: Int
    public var years: Int
    /// SHA-256 over the resolved scenario and every file it reads.
    public var scenarioSHA256: String
    /// Files read besides the scenario (paths as written in it), with their SHA-256.
    public var files: [(path: String, sha256: String)]
    /// Command-line overrides (`PATH=VALUE`), listed when there are any.
    public var overrides: [String]

    /// Hash input: the canonical compact resolved scenario, then a line
    /// `file PATH SHA256` per file read, in the order read.
    public init(loaded: LoadedScenario, files: [(path: String, bytes: [UInt8])] = []) {
        let run = loaded.scenario.run
        seed = run.seed
        replicates = run.replicates
        years = run.years
        var hasher = SHA256()
        hasher.update(loaded.resolvedText)
        var hashed: [(path: String, sha256: String)] = []
        for file in files {
            let digest = SHA256.hex(SHA256.hash(file.bytes))
            hasher.update("\nfile \(file.path) \(digest)")
            hashed.append((path: file.path, sha256: digest))
        }
        scenarioSHA256 = SHA256.hex(hasher.finalize())
        self.files = hashed
        overrides = loaded.overrides
    }

    var json: JSONOutput {
        var members: [String: JSONOutput] = [
            "engineVersion": .string(Self.engineVersion),
            "platform": .string(Self.platform),
            "seed": .integer(Int(seed)),
            "replicates": .integer(replicates),
            "years": .integer(years),
            "scenarioSHA256": .string(scenarioSHA256),
            "files": .array(files.map { .object(["path": .string($0.path), "sha256": .string($0.sha256)]) }),
        ]
        if !overrides.isEmpty { members["overrides"] = .array(overrides.map { .string($0) }) }
        return .object(members)
    }
}
