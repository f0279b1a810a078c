public import Logging

/// Logs one line per call a client makes when it ends: method, status and duration.
public struct LoggingClientInterceptor: ClientInterceptor {
    /// Where the lines go.
    public let logger: Logger

    /// Creates the interceptor.
    public init(logger: Logger) {
        self.logger = logger
    }

    public func intercept<Result>(
        method: MethodDescriptor, options: CallOptions, requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result, next: any ClientTransport
    ) async throws -> Result {
        let started = ContinuousClock.now
        do {
            let result = try await next.call(method: method, options: options, requests: requests, onResponse: onResponse)
            log(method, code: .ok, started: started)
            return result
        } catch {
            log(method, code: (error as? RPCError)?.code ?? .unknown, started: started)
            throw error
        }
    }

    private func log(_ method: MethodDescriptor, code: StatusCode, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        logger.log(
            level: code == .ok ? .debug : .notice, "rpc call finished",
            metadata: [
                "rpc.method": "\(method)", "rpc.status": "\(code)",
                "rpc.duration_us": "\(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)",
            ])
    }
}
