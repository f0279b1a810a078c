/// Carries encoded RPC messages to a server: the HTTP/2 channel or the in-process transport.
public protocol ClientTransport: Sendable {
    /// Runs one RPC of any kind.
    ///
    /// `requests` writes the request messages and returns when done (the stream is then
    /// half-closed). `onResponse` reads the response messages; the iteration throws `RPCError`
    /// when the call fails. The call ends when `onResponse` returns.
    func call<Result>(
        method: MethodDescriptor,
        options: CallOptions,
        requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result
    ) async throws -> Result
}
