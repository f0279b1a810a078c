/// The deadline of the call a task is serving, so that calls it makes inherit what is left of it.
///
/// Transports set it around every handler; `RPCClient` applies it to outgoing calls whose options
/// have no shorter timeout, so `grpc-timeout` flows end to end (and later into `statement_timeout`).
public enum RPCDeadline {
    /// The deadline of the call being served by the current task, if it has one.
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// `options` with its timeout shortened to what is left of the current deadline.
    ///
    /// - Throws: DEADLINE_EXCEEDED when the inherited deadline has already passed.
    public static func apply(to options: CallOptions) throws(RPCError) -> CallOptions {
        guard let deadline = current else { return options }
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else {
            throw RPCError(code: .deadlineExceeded, message: "the deadline of the call being served has passed")
        }
        var options = options
        if let timeout = options.timeout, timeout <= remaining { return options }
        options.timeout = remaining
        return options
    }
}
