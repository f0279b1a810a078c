/// The statements a connection has prepared, by SQL text and parameter types, with the name each got.
///
/// Bounded: when full, the session deallocates everything and starts again, so a service that builds
/// many distinct SQL texts cannot grow a connection's memory without limit.
struct StatementCache {
    struct Key: Hashable {
        var sql: String
        var types: [PostgresDataType]
    }

    private var names: [Key: String] = [:]
    private var nextNumber = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// How many statements are prepared.
    var count: Int { names.count }

    var isFull: Bool { names.count >= capacity }

    /// The name of the prepared statement for `key`, if any.
    func name(for key: Key) -> String? { names[key] }

    /// Records that `key` was prepared under the name returned by `nextName()`.
    mutating func insert(_ key: Key, name: String) { names[key] = name }

    /// Forgets `key` (its plan is no longer valid); the server's statement stays until `DEALLOCATE ALL`.
    mutating func remove(_ key: Key) { names[key] = nil }

    /// Forgets `key` if it is still prepared as `name` (its prepare failed).
    mutating func remove(_ key: Key, ifNamed name: String) {
        if names[key] == name { names[key] = nil }
    }

    /// A fresh statement name for this connection.
    mutating func nextName() -> String {
        nextNumber += 1
        return "audotics_\(nextNumber)"
    }

    /// Forgets everything (after `DEALLOCATE ALL`, or when the connection is replaced).
    mutating func removeAll() { names.removeAll() }
}
