/// The parameter values of a query, in order (`$1`, `$2`, …), each with its type, in binary format.
///
/// Values are kept apart from the SQL text and sent in the protocol's Bind message, so no value can ever
/// change what a statement does. `description` shows only the types, never the values.
public struct PostgresBindings: Sendable, Hashable, CustomStringConvertible {
    /// Where one value lives in `storage`.
    struct Slot: Sendable, Hashable {
        var type: PostgresDataType
        var offset: Int
        /// The byte count, or -1 for NULL.
        var length: Int
    }

    private(set) var slots: [Slot] = []
    private(set) var storage: [UInt8] = []

    /// No values.
    public init() {}

    /// How many values are bound.
    public var count: Int { slots.count }

    /// The parameter types, in order.
    public var types: [PostgresDataType] { slots.map(\.type) }

    /// Appends a value as the next parameter.
    public mutating func append<Value: PostgresEncodable>(_ value: Value) {
        let offset = storage.count
        value.encode(into: &storage)
        slots.append(Slot(type: Value.postgresType, offset: offset, length: storage.count - offset))
    }

    /// Appends a value, or NULL (typed as `Value`) for `nil`, as the next parameter.
    public mutating func append<Value: PostgresEncodable>(_ value: Value?) {
        guard let value else {
            slots.append(Slot(type: Value.postgresType, offset: storage.count, length: -1))
            return
        }
        append(value)
    }

    /// `<n> parameters: type, type, …`, never the values.
    public var description: String {
        "\(count) parameters" + (slots.isEmpty ? "" : ": " + slots.map { "\($0.type)" }.joined(separator: ", "))
    }
}
