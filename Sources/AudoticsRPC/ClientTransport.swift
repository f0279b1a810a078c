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

    /// Runs a unary RPC: sends `request` and returns the one response message through `decode` (INTERNAL when
    /// the server sends none or more than one). `decode` runs inside the call, so that client interceptors see
    /// its failure as the call's. The default implementation goes through `call`.
    func unary<Response>(
        method: MethodDescriptor, options: CallOptions, request: [UInt8], decode: ([UInt8]) throws -> Response
    ) async throws -> Response
}

extension ClientTransport {
    /// Runs a unary RPC through `call`: sends `request` and returns the one response message, decoded by `decode`
    /// (INTERNAL when the server sends none or more than one).
    public func unary<Response>(
        method: MethodDescriptor, options: CallOptions, request: [UInt8], decode: ([UInt8]) throws -> Response
    ) async throws -> Response {
        try await call(method: method, options: options, requests: { try await $0.write(request) }) { responses in
            try decode(try await MessageStreams.single(responses, method: method, role: "response", violation: .internal))
        }
    }
}
