public import AudoticsTransport
public import NIOCore

/// What the server calls for every complete request; it answers with a complete response.
///
/// Calls run as tasks on the connection's event loop (an `EventLoopTaskExecutor` preference): an
/// implementation must never block (no blocking I/O, no long computation without hopping elsewhere). A
/// call is cancelled when its client goes away (connection closed, HTTP/2 RST_STREAM) or the server's grace
/// period ends; its response is then dropped. HTTP/2 streams run concurrently. Pipelined HTTP/1.1 requests
/// with a safe method (GET, HEAD, OPTIONS, TRACE) and no body run concurrently too, up to
/// `Limits.maxPipelinedRequests` (1: one at a time); any other request runs alone, after those before it are
/// answered. HTTP/1.1 responses always go out in request order.
///
/// A handler that can answer without a task implements `start(_:responder:)` too: the server offers it each
/// request first, on the connection's event loop, and runs `handle` only for those it declines.
public protocol HTTPServerHandler: Sendable {
    /// Answers one request.
    func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse

    /// Takes a request without a task, on the connection's event loop: the handler answers through
    /// `responder` (at once or later, from any thread, once), or returns `.declined` to have `handle` run as a
    /// task instead (then it must not use `responder`). Must not block. The default declines every request.
    func start(_ request: HTTPServerRequest, responder: HTTPServerResponder) -> HTTPServerStart

    /// Adjusts an error response the server makes itself (400, 408, 413, 417, 431) before it is sent, for
    /// example to add the headers every response of the application carries. `request` holds what was read
    /// of the request (method, target and header fields; never a body), or nil when not even its head was.
    /// Runs on the connection's event loop: it must not block. The default returns `response` unchanged.
    func serverResponse(_ response: HTTPServerResponse, for request: HTTPServerRequest?) -> HTTPServerResponse
}

extension HTTPServerHandler {
    public func start(_ request: HTTPServerRequest, responder: HTTPServerResponder) -> HTTPServerStart {
        .declined
    }

    public func serverResponse(_ response: HTTPServerResponse, for request: HTTPServerRequest?) -> HTTPServerResponse {
        response
    }
}

/// Whether `HTTPServerHandler.start` took a request.
public enum HTTPServerStart {
    /// Not taken: the server runs `handle` as a task.
    case declined
    /// Taken: the response comes through the responder. `onCancel`, if any, runs on the connection's event loop
    /// when the client goes away (or the server's grace period ends) before the response was given; the
    /// handler should then stop its work. A response given after that is dropped.
    case started(onCancel: (() -> Void)?)
}

/// Where a handler that took a request with `HTTPServerHandler.start` gives its response. Safe to use from any
/// thread; only the first response counts.
public struct HTTPServerResponder: Sendable {
    private let connection: NIOLoopBound<any HTTPServerResponseTarget>
    private let requestID: Int
    /// The connection's event loop as a task executor (the one its tasks prefer): for work that must suspend
    /// and come back to the loop.
    public let executor: EventLoopTaskExecutor
    /// The request's connection's event loop (where `start` runs).
    public var eventLoop: any EventLoop { executor.eventLoop }

    init(connection: any HTTPServerResponseTarget, requestID: Int, executor: EventLoopTaskExecutor) {
        self.connection = NIOLoopBound(connection, eventLoop: executor.eventLoop)
        self.requestID = requestID
        self.executor = executor
    }

    /// Sends the response (dropped if the request was already answered or its client went away).
    public func respond(_ response: HTTPServerResponse) {
        if eventLoop.inEventLoop {
            connection.value.respond(to: requestID, with: response)
        } else {
            let connection = self.connection
            let requestID = self.requestID
            eventLoop.execute { connection.value.respond(to: requestID, with: response) }
        }
    }
}

/// A connection handler that takes responses given through an `HTTPServerResponder` (on its event loop).
protocol HTTPServerResponseTarget: AnyObject {
    func respond(to requestID: Int, with response: HTTPServerResponse)
}

/// The handler's work for a request, to cancel when the client goes away.
enum HTTPServerWork {
    /// `handle` running as a task (after its first suspension).
    case task(Task<Void, Never>)
    /// A request taken by `start`.
    case started(onCancel: (() -> Void)?)

    func cancel() {
        switch self {
        case .task(let task): task.cancel()
        case .started(let onCancel): onCancel?()
        }
    }
}
