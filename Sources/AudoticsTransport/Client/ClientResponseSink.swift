import AudoticsRPC

/// Where a call's stream delivers its response messages and its outcome, on the connection's event loop.
protocol ClientResponseSink: AnyObject {
    /// Whether messages wait for a reader: their wire bytes then count as unread (holding back the server's
    /// window) until the reader reports them read.
    var queuesMessages: Bool { get }
    /// Takes a response message; returns the error that fails the call, if the message is one too many.
    func push(_ bytes: [UInt8], wireSize: Int) -> RPCError?
    /// Ends the call with its outcome (`nil`: OK). Only the first end counts; returns whether this was it.
    @discardableResult
    func finish(_ error: RPCError?) -> Bool
}

/// A unary call's response delivered to a callback instead of a reading task: the one message, then the
/// outcome, handed over together once the call ends. Confined to the connection's event loop.
final class UnaryResponseSink: ClientResponseSink {
    private let method: MethodDescriptor
    private var message: [UInt8]?
    private var completion: ((Result<[UInt8], RPCError>) -> Void)?

    init(method: MethodDescriptor, completion: @escaping (Result<[UInt8], RPCError>) -> Void) {
        self.method = method
        self.completion = completion
    }

    /// The message is taken at once: nothing waits unread.
    var queuesMessages: Bool { false }

    func push(_ bytes: [UInt8], wireSize: Int) -> RPCError? {
        guard message == nil else { return Self.tooMany(method) }
        message = bytes
        return nil
    }

    @discardableResult
    func finish(_ error: RPCError?) -> Bool {
        guard let completion else { return false }
        self.completion = nil
        let outcome: Result<[UInt8], RPCError>
        if let error {
            outcome = .failure(error)
        } else if let message {
            outcome = .success(message)
        } else {
            outcome = .failure(Self.none(method))
        }
        message = nil
        completion(outcome)
        return true
    }
}

extension UnaryResponseSink {
    /// A unary call's error when the server sent no response message.
    static func none(_ method: MethodDescriptor) -> RPCError {
        RPCError(code: .internal, message: "\(method) expects exactly one response message, got none")
    }

    /// A unary call's error when the server sent more than one response message.
    static func tooMany(_ method: MethodDescriptor) -> RPCError {
        RPCError(code: .internal, message: "\(method) expects exactly one response message, got more")
    }
}

/// Confined to its connection's event loop.
@available(*, unavailable)
extension UnaryResponseSink: Sendable {}
