/// One HTTP binding of an RPC, from its `google.api.http` annotation.
public struct HTTPRoute: Hashable, Sendable {
    /// The HTTP method: `GET`, `POST`, `PUT`, `PATCH`, `DELETE` or a custom verb.
    public let method: String
    /// The path template, for example `/v1/tracks/{track_id}`.
    public let pathTemplate: String
    /// The request field filled from the body: empty for none, `*` for the whole request.
    public let body: String
    /// The response field sent as the body: empty for the whole response.
    public let responseBody: String
    /// The RPC the route calls.
    public let rpc: MethodDescriptor

    /// Creates a route.
    public init(method: String, pathTemplate: String, body: String, responseBody: String, rpc: MethodDescriptor) {
        self.method = method
        self.pathTemplate = pathTemplate
        self.body = body
        self.responseBody = responseBody
        self.rpc = rpc
    }
}
