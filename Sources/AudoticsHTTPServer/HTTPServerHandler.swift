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
}
