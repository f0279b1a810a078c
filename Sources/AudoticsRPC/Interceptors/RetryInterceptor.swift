import Synchronization

/// When and how often a failed call is tried again.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (2 to 5).
    public var maxAttempts: Int
    /// The wait before the second attempt; later waits grow by `multiplier` up to `maxBackoff`, with ±20% jitter.
    public var initialBackoff: Duration
    /// The longest wait between attempts.
    public var maxBackoff: Duration
    /// How much each wait grows.
    public var multiplier: Double
    /// Statuses worth another attempt.
    public var retryableCodes: Set<StatusCode>

    /// The default: 3 attempts, 100 ms growing ×2 up to 1 s, on UNAVAILABLE.
    public init(
        maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(1),
        multiplier: Double = 2, retryableCodes: Set<StatusCode> = [.unavailable]
    ) {
        self.maxAttempts = min(max(maxAttempts, 2), 5)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
        self.retryableCodes = retryableCodes
    }

    /// The wait before attempt `attempt` (2 for the first retry).
    func backoff(beforeAttempt attempt: Int) -> Duration {
        var wait = initialBackoff
        for _ in 2..<attempt { wait = min(wait * multiplier, maxBackoff) }
        return wait * Double.random(in: 0.8...1.2)
    }
}

/// Retries calls of idempotent methods (`MethodDescriptor.isIdempotent`) that fail with a
/// retryable status before any response message arrived, within the call's deadline.
///
/// Requests are replayed by running the call's request producer again, so only methods whose
/// requests are fully described by the call (unary and server-streaming) are retried; streaming
/// uploads are not. A response already seen is never repeated: after the first response message
/// a failure is final.
public struct RetryInterceptor: ClientInterceptor {
    /// The policy.
    public let policy: RetryPolicy

    /// Creates the interceptor.
    public init(policy: RetryPolicy = RetryPolicy()) {
        self.policy = policy
    }

    public func intercept<Result>(
        method: MethodDescriptor, options: CallOptions, requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result, next: any ClientTransport
    ) async throws -> Result {
        let replayable = method.kind == .unary || method.kind == .serverStreaming
        guard method.isIdempotent, replayable else {
            return try await next.call(method: method, options: options, requests: requests, onResponse: onResponse)
        }
        let deadline = options.timeout.map { ContinuousClock.now + $0 }
        var attempt = 1
        while true {
            let received = ResponseSeen()
            var attemptOptions = options
            if let deadline { attemptOptions.timeout = ContinuousClock.now.duration(to: deadline) }
            do {
                return try await next.call(method: method, options: attemptOptions, requests: requests) { responses in
                    try await onResponse(responses.map { message in
                        received.mark()
                        return message
                    })
                }
            } catch let error as RPCError {
                attempt += 1
                let wait = policy.backoff(beforeAttempt: attempt)
                guard attempt <= policy.maxAttempts, policy.retryableCodes.contains(error.code), !received.value,
                    deadline.map({ ContinuousClock.now + wait < $0 }) ?? true
                else { throw error }
                try await Task.sleep(for: wait)
            }
        }
    }
}

/// Whether a response message reached the caller during an attempt.
private final class ResponseSeen: Sendable {
    private let seen = Mutex(false)

    func mark() { seen.withLock { $0 = true } }
    var value: Bool { seen.withLock { $0 } }
}
