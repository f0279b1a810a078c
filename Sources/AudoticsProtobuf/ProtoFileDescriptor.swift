/// One `.proto` file as the generator saw it: its name, package, imports, the symbols it declares and
/// its serialized `google.protobuf.FileDescriptorProto`.
///
/// Every generated Swift file carries one (`<File>ProtoFile.descriptor`), so that server reflection
/// can hand generic tools (grpcurl, grpcio's reflection client) the schema of our services. The
/// serialized form is what protoc produced, without `source_code_info` (comments) to save space.
public struct ProtoFileDescriptor: Hashable, Sendable {
    /// The path protoc knows the file by, for example `grpc/health/v1/health.proto`.
    public let name: String
    /// The proto package, for example `grpc.health.v1`.
    public let package: String
    /// The descriptors of the files this file imports, in import order.
    public let dependencies: [ProtoFileDescriptor]
    /// Fully qualified names of the services the file declares.
    public let services: [String]
    /// Fully qualified names of everything else the file declares that reflection can look up:
    /// methods (`<service>.<method>`), messages and enums, nested ones included.
    public let symbols: [String]
    /// The serialized `FileDescriptorProto`.
    public let serializedBytes: [UInt8]

    /// Creates a descriptor; generated code calls this.
    public init(
        name: String, package: String, dependencies: [ProtoFileDescriptor], services: [String], symbols: [String],
        serializedBytes: [UInt8]
    ) {
        self.name = name
        self.package = package
        self.dependencies = dependencies
        self.services = services
        self.symbols = symbols
        self.serializedBytes = serializedBytes
    }

    /// This file followed by every file it imports, directly or not, each once (depth-first order).
    public var withTransitiveDependencies: [ProtoFileDescriptor] {
        var seen: Set<String> = []
        var result: [ProtoFileDescriptor] = []
        func visit(_ file: ProtoFileDescriptor) {
            guard seen.insert(file.name).inserted else { return }
            result.append(file)
            file.dependencies.forEach(visit)
        }
        visit(self)
        return result
    }
}
