public import Metrics

/// Counts and times the calls a client makes (`rpc_client_calls_total`, `rpc_client_duration_seconds`).
public struct MetricsClientInterceptor: ClientInterceptor {
    /// Where the metrics go.
    let factory: any MetricsFactory

    /// Creates the interceptor; metrics go to `factory`, by default the process's `MetricsSystem` backend.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    public func intercept<Result>(
        method: MethodDescriptor, options: CallOptions, requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result, next: any ClientTransport
    ) async throws -> Result {
        let started = ContinuousClock.now
        var code = StatusCode.ok
        defer {
            Counter(label: "rpc_client_calls_total", dimensions: [("method", "\(method)"), ("code", "\(code)")], factory: factory).increment()
            Timer(label: "rpc_client_duration_seconds", dimensions: [("method", "\(method)")], factory: factory)
                .recordInterval(since: started)
        }
        do {
            return try await next.call(method: method, options: options, requests: requests, onResponse: onResponse)
        } catch {
            code = (error as? RPCError)?.code ?? .unknown
            throw error
        }
    }
}
