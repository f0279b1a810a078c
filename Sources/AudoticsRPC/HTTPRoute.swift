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
    /// The HTTP status of a successful call: 201 for `POST` routes of methods that create something
    /// (named `Create…` or `Register`), 200 otherwise. The OpenAPI document states the same.
    public let successStatus: Int

    /// Creates a route.
    public init(method: String, pathTemplate: String, body: String, responseBody: String, rpc: MethodDescriptor, successStatus: Int = 200) {
        self.method = method
        self.pathTemplate = pathTemplate
        self.body = body
        self.responseBody = responseBody
        self.rpc = rpc
        self.successStatus = successStatus
    }
}
