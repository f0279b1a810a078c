/// A Swift enum generated from a proto enum.
///
/// Proto3 enums are open: a value this build does not know is kept as `unrecognized(n)` and
/// encoded back unchanged.
public protocol ProtobufEnum: Hashable, Sendable, RawRepresentable where RawValue == Int32 {
    /// Creates the case for a number, or `unrecognized` when the number has no case.
    init(rawValue: Int32)
    /// The value names as written in the `.proto` file, in declaration order, with their numbers.
    static var protoValueNames: [(name: String, number: Int32)] { get }
}

extension ProtobufEnum {
    /// The name of this value in the `.proto` file, or `nil` for an unrecognized number.
    public var protoName: String? {
        Self.protoValueNames.first { $0.number == rawValue }?.name
    }

    /// Creates the value with the given `.proto` name, or `nil` when no value has that name.
    public init?(protoName: String) {
        guard let entry = Self.protoValueNames.first(where: { $0.name == protoName }) else { return nil }
        self.init(rawValue: entry.number)
    }
}
