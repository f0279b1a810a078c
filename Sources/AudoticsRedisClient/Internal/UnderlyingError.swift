/// A cause recorded by its description: NIO's errors are not all `Sendable`, and `RedisError.cause` must be.
struct UnderlyingError: Error, Sendable, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        description = String(describing: error)
    }
}
