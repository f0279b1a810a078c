import AudoticsRedis

/// The commands a `RedisClient` refuses because its connections are shared: each would change the connection for
/// every other caller (`SELECT`, `AUTH`, `CLIENT REPLY`), switch it out of request-reply (`SUBSCRIBE`, `MONITOR`),
/// or hold it while other callers' commands queue behind (blocking pops, `XREAD … BLOCK`, `WAIT`).
///
/// `MULTI` … `EXEC` is allowed inside one pipeline: a pipeline's commands are written back to back on one
/// connection, so no other caller's command can land inside the transaction.
enum SharedConnectionRules {
    private static let refused: Set<String> = [
        "SELECT", "AUTH", "HELLO", "QUIT", "RESET", "SWAPDB",
        "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR", "SYNC", "PSYNC",
        "WATCH", "UNWATCH", "WAIT", "WAITAOF",
        "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP",
    ]

    /// Why the pipeline `commands` may not run on a shared connection, or nil if it may.
    static func refusal(for commands: [RESPCommand]) -> RedisError? {
        var inTransaction = false
        for command in commands {
            guard let nameBytes = command.arguments.first else {
                return RedisError(code: .invalidCommand, message: "a command needs at least a name")
            }
            let name = String(decoding: nameBytes, as: UTF8.self).uppercased()
            let second = command.arguments.dropFirst().first.map { String(decoding: $0, as: UTF8.self).uppercased() }
            if refused.contains(name) || (name == "CLIENT" && second == "REPLY") {
                return refuse(name, "it would affect every caller sharing the connection; use a dedicated RedisConnection")
            }
            if name == "XREAD" || name == "XREADGROUP",
               command.arguments.map({ String(decoding: $0, as: UTF8.self).uppercased() })
                .prefix(while: { $0 != "STREAMS" }).contains("BLOCK") {
                return refuse(name, "a blocking read would hold the shared connection; use a dedicated RedisConnection")
            }
            switch name {
            case "MULTI":
                if inTransaction { return refuse(name, "MULTI cannot nest") }
                inTransaction = true
            case "EXEC", "DISCARD":
                if !inTransaction { return refuse(name, "it must follow MULTI in the same pipeline") }
                inTransaction = false
            default:
                break
            }
        }
        if inTransaction { return refuse("MULTI", "its EXEC or DISCARD must be in the same pipeline") }
        return nil
    }

    private static func refuse(_ name: String, _ reason: String) -> RedisError {
        RedisError(code: .invalidCommand, message: "\(name) is refused on a shared connection: \(reason)")
    }
}
