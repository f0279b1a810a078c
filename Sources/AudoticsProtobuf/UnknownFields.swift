/// Fields a message's schema does not declare, kept from decoding so that re-encoding preserves them.
///
/// proto3 keeps unknown fields: a service built from an older contract must pass newer fields
/// through unchanged. protobuf-c parses them into the C struct; the Swift message stores them here,
/// in wire form, and hands them back to protobuf-c when encoding.
public struct UnknownFields: Hashable, Sendable {
    /// One unknown field as it appeared on the wire.
    public struct Field: Hashable, Sendable {
        /// The field number.
        public var number: UInt32
        /// The wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).
        public var wireType: UInt8
        /// The field's payload as encoded: a varint's bytes, the fixed bytes, or the length prefix
        /// followed by the contents.
        public var data: [UInt8]

        /// Creates a field.
        public init(number: UInt32, wireType: UInt8, data: [UInt8]) {
            self.number = number
            self.wireType = wireType
            self.data = data
        }
    }

    /// The fields in the order they were decoded.
    public var fields: [Field]

    /// No unknown fields.
    public init() { fields = [] }

    /// Whether there are none.
    @inlinable public var isEmpty: Bool { fields.isEmpty }
}
