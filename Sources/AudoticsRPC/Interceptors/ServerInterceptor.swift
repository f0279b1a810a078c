/// Code that runs around every call a server handles: authentication, logging, metrics.
///
/// An interceptor sees the call's encoded request stream, response writer and context, and calls
/// `next` to continue (possibly with a changed context or wrapped streams) or throws an
/// `RPCError` to end the call without reaching the handler.
public protocol ServerInterceptor: Sendable {
    /// Handles one call, calling `next` to run the rest of the chain and the handler.
    func intercept(
        requests: RPCAsyncSequence<[UInt8]>,
        responses: RPCWriter<[UInt8]>,
        context: ServerContext,
        next: RPCRouter.Handler
    ) async throws
}

extension RPCRouter {
    /// Wraps `handler` in `interceptors`, the first one outermost.
    static func intercepted(_ handler: @escaping Handler, by interceptors: [any ServerInterceptor]) -> Handler {
        interceptors.reversed().reduce(handler) { next, interceptor in
            { requests, responses, context in
                try await interceptor.intercept(requests: requests, responses: responses, context: context, next: next)
            }
        }
    }
}
