/// The plugin parameter: which Swift module is being generated and where other packages live.
///
/// Written as comma-separated `key=value` pairs, for example
/// `module=AudoticsAPI,package=google.protobuf=AudoticsWellKnownTypes`.
public struct GeneratorOptions: Hashable, Sendable {
    /// The Swift module the generated files belong to.
    public var module: String
    /// Swift modules of proto packages that are generated elsewhere, keyed by proto package.
    public var packageModules: [String: String]
    /// `swift` for the full API, `descriptor` for a file's `ProtoFileDescriptor` alone (for files
    /// whose types are not generated, such as `google/api/http.proto`), `openapi` for the OpenAPI
    /// document of the files' HTTP routes (`openapi.json` and `OpenAPIDocument.swift`), or `c` to act
    /// as the protoc-c shim.
    public var mode: String
    /// In `swift` mode, when not empty: the name of an enum listing the schemas of every service of
    /// the generated files (`services=AudoticsV1Services`).
    public var serviceList: String
    /// In `openapi` mode: the document's title (`title=…`).
    public var title: String
    /// In `openapi` mode: the document's version (`version=…`).
    public var version: String

    /// Creates options.
    public init(
        module: String, packageModules: [String: String] = [:], mode: String = "swift", serviceList: String = "",
        title: String = "Audotics API", version: String = "v1"
    ) {
        self.module = module
        self.packageModules = packageModules
        self.mode = mode
        self.serviceList = serviceList
        self.title = title
        self.version = version
    }

    /// Parses the plugin parameter.
    public init(parameter: String) throws(CodeGenError) {
        var module = ""
        var packageModules: [String: String] = [:]
        var mode = "swift"
        var serviceList = ""
        var title = "Audotics API"
        var version = "v1"
        for item in parameter.split(separator: ",") where !item.isEmpty {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw CodeGenError("bad plugin parameter '\(item)': expected key=value") }
            switch pair[0] {
            case "module": module = pair[1]
            case "mode": mode = pair[1]
            case "services": serviceList = pair[1]
            case "title": title = pair[1]
            case "version": version = pair[1]
            case "package":
                let mapping = pair[1].split(separator: "=").map(String.init)
                guard mapping.count == 2 else { throw CodeGenError("bad package mapping '\(pair[1])': expected proto.package=SwiftModule") }
                packageModules[mapping[0]] = mapping[1]
            default: throw CodeGenError("unknown plugin parameter '\(pair[0])'")
            }
        }
        if mode != "c" && module.isEmpty { throw CodeGenError("the plugin parameter must name the Swift module: module=Name") }
        guard ["swift", "descriptor", "openapi", "c"].contains(mode) else { throw CodeGenError("unknown mode '\(mode)'") }
        self.init(module: module, packageModules: packageModules, mode: mode, serviceList: serviceList, title: title, version: version)
    }
}
