import Synchronization

/// Code that runs around every call a server handles: authentication, logging, metrics.
///
/// An interceptor sees the call's encoded request stream, response writer and context, and calls
/// `next` to continue (possibly with a changed context or wrapped streams) or throws an
/// `RPCError` to end the call without reaching the handler.
///
/// Unary calls take a faster path without streams; an interceptor may implement `interceptUnary` to stay on it
/// (the default runs `intercept` over one-message streams, which works for every interceptor but costs the
/// stream machinery).
public protocol ServerInterceptor: Sendable {
    /// Handles one call, calling `next` to run the rest of the chain and the handler.
    func intercept(
        requests: RPCAsyncSequence<[UInt8]>,
        responses: RPCWriter<[UInt8]>,
        context: ServerContext,
        next: RPCRouter.Handler
    ) async throws

    /// Handles one unary call on the fast path: the encoded request in, the encoded response out; `next` runs
    /// the rest of the chain and the handler.
    func interceptUnary(request: [UInt8], context: ServerContext, next: RPCRouter.UnaryHandler) async throws -> [UInt8]
}

extension ServerInterceptor {
    /// Runs `intercept` with the request as a one-message stream and collects the one response.
    public func interceptUnary(request: [UInt8], context: ServerContext, next: RPCRouter.UnaryHandler) async throws -> [UInt8] {
        let response = Mutex<[UInt8]?>(nil)
        try await intercept(
            requests: RPCAsyncSequence(elements: [request]),
            responses: RPCWriter { bytes in response.withLock { $0 = bytes } },
            context: context
        ) { requests, responses, context in
            let request = try await MessageStreams.single(requests, method: context.method, role: "request", violation: .unimplemented)
            try await responses.write(try await next(request, context))
        }
        guard let bytes = response.withLock({ $0 }) else {
            throw RPCError(code: .internal, message: "\(context.method) ended without a response")
        }
        return bytes
    }
}

extension RPCRouter {
    /// Wraps a unary fast-path `handler` in `interceptors`, the first one outermost.
    static func intercepted(_ handler: @escaping UnaryHandler, by interceptors: [any ServerInterceptor]) -> UnaryHandler {
        interceptors.reversed().reduce(handler) { next, interceptor in
            { request, context in try await interceptor.interceptUnary(request: request, context: context, next: next) }
        }
    }

    /// Wraps `handler` in `interceptors`, the first one outermost.
    static func intercepted(_ handler: @escaping Handler, by interceptors: [any ServerInterceptor]) -> Handler {
        interceptors.reversed().reduce(handler) { next, interceptor in
            { requests, responses, context in
                try await interceptor.intercept(requests: requests, responses: responses, context: context, next: next)
            }
        }
    }
}
