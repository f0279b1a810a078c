/// One `.proto` file as the generator sees it: the parts of `FileDescriptorProto` it renders.
public struct ProtoFile: Hashable, Sendable {
    /// The path protoc knows the file by, for example `audotics/v1/music.proto`.
    public var name: String
    /// The proto package, for example `audotics.v1`.
    public var package: String
    /// `proto3` or `proto2`.
    public var syntax: String
    /// Paths of the files this file imports.
    public var dependencies: [String]
    /// Top-level messages.
    public var messages: [MessageModel]
    /// Top-level enums.
    public var enums: [EnumModel]
    /// Services.
    public var services: [ServiceModel]
    /// The `FileDescriptorProto` protoc sent, re-encoded without `source_code_info`; server
    /// reflection serves it.
    public var serializedDescriptor: [UInt8]

    /// Creates a file model.
    public init(
        name: String, package: String, syntax: String = "proto3", dependencies: [String] = [],
        messages: [MessageModel] = [], enums: [EnumModel] = [], services: [ServiceModel] = [],
        serializedDescriptor: [UInt8] = []
    ) {
        self.name = name
        self.package = package
        self.syntax = syntax
        self.dependencies = dependencies
        self.messages = messages
        self.enums = enums
        self.services = services
        self.serializedDescriptor = serializedDescriptor
    }
}
