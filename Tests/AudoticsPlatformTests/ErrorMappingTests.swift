@testable import AudoticsPlatform
import AudoticsPostgres
import AudoticsRPC
import AudoticsRedis
import Logging
import Testing

@Suite("Error mapping")
struct ErrorMappingTests {
    @Test("database errors become actionable statuses and never show their text")
    func postgres() {
        let interceptor = ErrorMappingInterceptor(logger: Logger(label: "test"))
        let context = ServerContext(method: MethodDescriptor(service: "s", method: "m", kind: .unary), peer: "test")
        func mapped(_ code: SQLState) -> RPCError? {
            interceptor.map(PostgresError(code: code, message: "secret detail: email=x@y"), context) as? RPCError
        }
        #expect(mapped(.queryCanceled)?.code == .deadlineExceeded)
        #expect(mapped(.connectionFailure)?.code == .unavailable)
        #expect(mapped(.tooManyConnections)?.code == .unavailable)
        #expect(mapped(.serializationFailure)?.code == .aborted)
        #expect(mapped(.uniqueViolation)?.code == .internal)
        for code in [SQLState.queryCanceled, .connectionFailure, .uniqueViolation] {
            #expect(mapped(code)?.message.contains("secret") == false)
        }
        let passthrough = RPCError(code: .notFound, message: "no such thing")
        #expect(interceptor.map(passthrough, context) as? RPCError == passthrough)
    }

    @Test("a database or Redis call cancelled because the client went away ends as CANCELLED, not as their failure")
    func cancelledCaller() async {
        let interceptor = ErrorMappingInterceptor(logger: Logger(label: "test"))
        let method = MethodDescriptor(service: "s", method: "m", kind: .unary)
        let errors: [any Error & Sendable] = [
            PostgresError(code: .queryCanceled, message: "the task was cancelled before the statement was sent"),
            RedisError(code: .cancelled, message: "the task awaiting the reply was cancelled"),
        ]
        func codes(_ context: ServerContext) -> [StatusCode?] {
            errors.map { (interceptor.map($0, context) as? RPCError)?.code }
        }
        let withinDeadline = ServerContext(method: method, deadline: .now + .seconds(60), peer: "test")
        let pastDeadline = ServerContext(method: method, deadline: .now - .seconds(1), peer: "test")
        // In a cancelled task, as a handler is when its client resets the stream.
        let cancelled = Task { () -> ([StatusCode?], [StatusCode?]) in
            try? await Task.sleep(for: .seconds(60))
            return (codes(withinDeadline), codes(pastDeadline))
        }
        cancelled.cancel()
        let (within, past) = await cancelled.value
        #expect(within == [.cancelled, .cancelled])
        #expect(past == [.deadlineExceeded, .unavailable])
        // Not cancelled: the same errors are the database's timeout and Redis's failure.
        #expect(codes(withinDeadline) == [.deadlineExceeded, .unavailable])
    }

    @Test("a handler's error gives the status the transport sends, for logs and metrics alike")
    func statusOfError() {
        #expect(RPCError(statusOf: RPCError(code: .notFound, message: "x")).code == .notFound)
        #expect(RPCError(statusOf: CancellationError()).code == .cancelled)
        let other = RPCError(statusOf: PostgresError(code: .uniqueViolation, message: "detail"))
        #expect(other.code == .unknown)
        #expect(other.message.contains("detail") == false)
    }
}
