/// Code that runs around every call a client makes: credentials, logging, metrics, retries.
///
/// Same shape as `ServerInterceptor`: it sees the call and calls `next` (the rest of the chain,
/// ending in the real transport) to continue, possibly with changed options such as added metadata.
public protocol ClientInterceptor: Sendable {
    /// Runs one call through `next`.
    func intercept<Result>(
        method: MethodDescriptor,
        options: CallOptions,
        requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result,
        next: any ClientTransport
    ) async throws -> Result
}

/// A transport that runs every call through an interceptor before the base transport.
public struct InterceptedTransport: ClientTransport {
    /// The transport the chain ends in.
    public let base: any ClientTransport
    /// The interceptor in front of it.
    public let interceptor: any ClientInterceptor

    /// Wraps `base` in `interceptors`, the first one outermost.
    public static func wrap(_ base: any ClientTransport, in interceptors: [any ClientInterceptor]) -> any ClientTransport {
        interceptors.reversed().reduce(base) { next, interceptor in InterceptedTransport(base: next, interceptor: interceptor) }
    }

    public func call<Result>(
        method: MethodDescriptor,
        options: CallOptions,
        requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result
    ) async throws -> Result {
        try await interceptor.intercept(method: method, options: options, requests: requests, onResponse: onResponse, next: base)
    }
}
