import AudoticsProtobuf
import AudoticsRPC

/// What a reflection request asks, independent of the protocol version.
enum ReflectionQuery: Sendable {
    case fileByFilename(String)
    case fileContainingSymbol(String)
    case fileContainingExtension(containingType: String, number: Int32)
    case allExtensionNumbersOfType(String)
    case listServices
    /// No `message_request` member was set.
    case missing
}

/// The answer to a query, independent of the protocol version.
enum ReflectionAnswer: Hashable, Sendable {
    /// Serialized `FileDescriptorProto`s: the file asked for first, then its transitive imports.
    case files([[UInt8]])
    case extensionNumbers(baseType: String, numbers: [Int32])
    case services([String])
    case error(StatusCode, String)
}

/// Files by name and by the symbols they declare; answers reflection queries.
struct ReflectionIndex: Sendable {
    private(set) var filesByName: [String: ProtoFileDescriptor] = [:]
    private(set) var fileBySymbol: [String: String] = [:]
    /// The services `list_services` names, sorted and without duplicates.
    let services: [String]

    init(files: [ProtoFileDescriptor], services: [String]) {
        self.services = Set(services).sorted()
        for file in files.flatMap(\.withTransitiveDependencies) where filesByName[file.name] == nil {
            filesByName[file.name] = file
            for symbol in file.services + file.symbols where fileBySymbol[symbol] == nil {
                fileBySymbol[symbol] = file.name
            }
        }
    }

    func answer(_ query: ReflectionQuery) -> ReflectionAnswer {
        switch query {
        case .fileByFilename(let name):
            guard let file = filesByName[name] else { return .error(.notFound, "file '\(name)' not found") }
            return .files(file.withTransitiveDependencies.map(\.serializedBytes))
        case .fileContainingSymbol(let symbol):
            guard let name = fileBySymbol[Self.trimmed(symbol)], let file = filesByName[name] else {
                return .error(.notFound, "symbol '\(symbol)' not found")
            }
            return .files(file.withTransitiveDependencies.map(\.serializedBytes))
        case .fileContainingExtension(let type, let number):
            // No generated file declares extensions of its own messages; well-known options are not indexed.
            return .error(.notFound, "extension \(number) of '\(type)' not found")
        case .allExtensionNumbersOfType(let type):
            guard fileBySymbol[Self.trimmed(type)] != nil else { return .error(.notFound, "type '\(type)' not found") }
            return .extensionNumbers(baseType: Self.trimmed(type), numbers: [])
        case .listServices:
            return .services(services)
        case .missing:
            return .error(.invalidArgument, "the request sets none of the message_request fields")
        }
    }

    /// Some clients send names with a leading dot, as type references in descriptors are written.
    private static func trimmed(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }
}
