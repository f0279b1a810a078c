import AudoticsAuth
import AudoticsPostgres
public import AudoticsRPC
import AudoticsRedis
public import Logging

/// Turns errors that escape a handler into statuses a client can act on, without leaking their text: database
/// timeouts become DEADLINE_EXCEEDED, unreachable or exhausted databases UNAVAILABLE, serialization failures that
/// ran out of retries ABORTED, and anything else INTERNAL with a generic message (the detail is logged here).
/// `RPCError`s pass unchanged, and a call whose client went away ends as CANCELLED, not as a database or Redis failure.
public struct ErrorMappingInterceptor: ServerInterceptor {
    let logger: Logger

    /// Creates the interceptor.
    public init(logger: Logger) {
        self.logger = logger
    }

    public func intercept(
        requests: RPCAsyncSequence<[UInt8]>, responses: RPCWriter<[UInt8]>, context: ServerContext, next: RPCRouter.Handler
    ) async throws {
        do {
            try await next(requests, responses, context)
        } catch {
            throw map(error, context)
        }
    }

    public func interceptUnary(request: [UInt8], context: ServerContext, next: RPCRouter.UnaryHandler) async throws -> [UInt8] {
        do {
            return try await next(request, context)
        } catch {
            throw map(error, context)
        }
    }

    func map(_ error: any Error, _ context: ServerContext) -> any Error {
        // The client went away (it cancelled, or its stream was reset) while a database or Redis call was under way:
        // that call then fails as cancelled, which says nothing about the database or Redis. (Past the deadline the
        // transport has answered DEADLINE_EXCEEDED already; the mapping below says so too.)
        if Task.isCancelled, Self.isCancellation(error), !(context.deadline.map { $0 <= .now } ?? false) {
            return RPCError(code: .cancelled, message: "the call was cancelled")
        }
        switch error {
        case let error as RPCError:
            return error
        case is CancellationError:
            return error
        case let error as AuthError:
            return error.rpcError
        case let error as PostgresError:
            let code: StatusCode
            let message: String
            switch error.code.errorClass {
            case "57" where error.code == .queryCanceled:
                (code, message) = (.deadlineExceeded, "the database did not answer before the deadline")
            case "08", "53":
                (code, message) = (.unavailable, "the database is unavailable; try again")
            case "57" where ["57P01", "57P02", "57P03"].contains(error.code.rawValue):
                // The server is shutting down, crashed or still starting: the pool reconnects on the next call.
                (code, message) = (.unavailable, "the database is restarting; try again")
            case "40":
                (code, message) = (.aborted, "the change conflicted with another one; try again")
            default:
                (code, message) = (.internal, "internal error")
            }
            logger.error("database error", metadata: ["rpc.method": "\(context.method)", "error": "\(error)"])
            return RPCError(code: code, message: message)
        case let error as RedisError:
            logger.error("redis error", metadata: ["rpc.method": "\(context.method)", "error": "\(error)"])
            return RPCError(code: .unavailable, message: "a backing service is unavailable; try again")
        default:
            logger.error("handler error", metadata: ["rpc.method": "\(context.method)", "error": "\(error)"])
            return RPCError(code: .internal, message: "internal error")
        }
    }

    /// Whether `error` is how a database or Redis call reports that its task was cancelled.
    static func isCancellation(_ error: any Error) -> Bool {
        switch error {
        case let error as PostgresError: error.code == .queryCanceled
        case let error as RedisError: error.code == .cancelled
        default: false
        }
    }
}
