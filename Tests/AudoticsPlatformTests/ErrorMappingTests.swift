@testable import AudoticsPlatform
import AudoticsPostgres
import AudoticsRPC
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
}
