public import AudoticsProtobuf

/// What a JSON edge needs to know about one RPC: its descriptor, its message types and its HTTP routes.
///
/// The message types lead to the protobuf-c descriptors (`_protobufCDescriptor`) that drive a generic
/// JSON transcoder. Every method has a schema, with or without `google.api.http` routes; a method
/// without routes is still reachable as `POST` `descriptor.path` (`/<package>.<Service>/<Method>`).
public struct RPCMethodSchema: Sendable, CustomStringConvertible {
    /// The RPC.
    public let descriptor: MethodDescriptor
    /// The request message type.
    public let requestType: any ProtobufMessage.Type
    /// The response message type.
    public let responseType: any ProtobufMessage.Type
    /// The routes from the method's `google.api.http` annotation, additional bindings included; empty when
    /// the method has none.
    public let httpRoutes: [HTTPRoute]

    /// Creates a schema.
    public init(
        descriptor: MethodDescriptor, requestType: any ProtobufMessage.Type, responseType: any ProtobufMessage.Type,
        httpRoutes: [HTTPRoute] = []
    ) {
        self.descriptor = descriptor
        self.requestType = requestType
        self.responseType = responseType
        self.httpRoutes = httpRoutes
    }

    public var description: String {
        "\(descriptor) (\(requestType.protoMessageName)) -> \(responseType.protoMessageName)"
    }
}

/// Every method of one service, for a JSON edge that serves services it knows only by their schemas.
public struct RPCServiceSchema: Sendable, CustomStringConvertible {
    /// The fully qualified service name, for example `audotics.v1.MusicService`.
    public let name: String
    /// The methods in declaration order.
    public let methods: [RPCMethodSchema]

    /// Creates a schema.
    public init(name: String, methods: [RPCMethodSchema]) {
        self.name = name
        self.methods = methods
    }

    /// The routes of every method, in declaration order.
    public var httpRoutes: [HTTPRoute] { methods.flatMap(\.httpRoutes) }

    public var description: String { name }
}
