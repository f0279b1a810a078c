/// What the server calls for every complete request; it answers with a complete response.
///
/// Calls run as tasks on the connection's event loop (an `EventLoopTaskExecutor` preference): an
/// implementation must never block (no blocking I/O, no long computation without hopping elsewhere). A
/// call is cancelled when its client goes away (connection closed, HTTP/2 RST_STREAM) or the server's grace
/// period ends; its response is then dropped. HTTP/1.1 requests on one connection are handled one at a time,
/// in order; HTTP/2 streams run concurrently.
public protocol HTTPServerHandler: Sendable {
    /// Answers one request.
    func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse

    /// Adjusts an error response the server makes itself (400, 408, 413, 417, 431) before it is sent, for
    /// example to add the headers every response of the application carries. `request` holds what was read
    /// of the request (method, target and header fields; never a body), or nil when not even its head was.
    /// Runs on the connection's event loop: it must not block. The default returns `response` unchanged.
    func serverResponse(_ response: HTTPServerResponse, for request: HTTPServerRequest?) -> HTTPServerResponse
}

extension HTTPServerHandler {
    public func serverResponse(_ response: HTTPServerResponse, for request: HTTPServerRequest?) -> HTTPServerResponse {
        response
    }
}
