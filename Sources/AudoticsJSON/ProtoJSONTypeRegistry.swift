public import AudoticsProtobuf
import AudoticsWellKnownTypes

/// The message types an `Any` may hold, by full name: `type.googleapis.com/google.rpc.BadRequest`
/// resolves to the descriptor registered as `google.rpc.BadRequest`.
///
/// Registering a type also registers every message type its fields reach.
public struct ProtoJSONTypeRegistry: Sendable {
    private var descriptors: [String: ProtobufCDescriptor] = [:]

    /// An empty registry.
    public init() {}

    /// The well-known types (`google.protobuf`) and the error model (`google.rpc.Status` and every
    /// detail type of `error_details.proto`): what `google.rpc.Status` bodies carry.
    public static let standard: ProtoJSONTypeRegistry = {
        var registry = ProtoJSONTypeRegistry()
        let types: [any ProtobufMessage.Type] = [
            Timestamp.self, Duration.self, FieldMask.self, Empty.self, ProtoAny.self, DoubleValue.self, FloatValue.self,
            Int64Value.self, UInt64Value.self, Int32Value.self, UInt32Value.self, BoolValue.self, StringValue.self,
            BytesValue.self, Status.self, ErrorInfo.self, RetryInfo.self, QuotaFailure.self, PreconditionFailure.self,
            BadRequest.self, RequestInfo.self, ResourceInfo.self, LocalizedMessage.self,
        ]
        for type in types { registry.register(type) }
        return registry
    }()

    /// Adds a message type (and every message type it reaches) by its descriptor.
    public mutating func register(_ descriptor: ProtobufCDescriptor) {
        let name = descriptor.fullName
        guard descriptors[name] == nil else { return }
        descriptors[name] = descriptor
        for field in descriptor.fields {
            if let message = field.message { register(message) }
        }
    }

    /// Adds a generated message type (and every message type it reaches).
    public mutating func register(_ type: any ProtobufMessage.Type) {
        register(type._protobufCDescriptor)
    }

    /// The descriptor registered under a full name such as `google.rpc.BadRequest`.
    public func descriptor(forName name: String) -> ProtobufCDescriptor? {
        descriptors[name]
    }

    /// The descriptor a type URL names: the part after its last `/` is the full name.
    public func descriptor(forTypeURL url: String) -> ProtobufCDescriptor? {
        guard let slash = url.utf8.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        return descriptors[String(url[url.utf8.index(after: slash)...])]
    }

    /// The full names of every registered type.
    public var names: [String] { descriptors.keys.sorted() }
}
