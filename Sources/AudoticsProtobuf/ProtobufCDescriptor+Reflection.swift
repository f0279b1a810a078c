internal import CProtobufC

// A Swift view of protobuf-c's descriptors for code that handles any message generically (the
// proto3 JSON mapping in AudoticsJSON), so that such code needs no C import of its own.

/// One field of a protobuf-c message as its descriptor describes it.
package struct ProtobufCField: Sendable {
    /// Whether the field is singular or repeated, and how presence is tracked.
    package enum Label: Sendable {
        /// proto2 `required` (unused by our proto3 contracts).
        case required
        /// proto2 `optional`: a `has_` flag at `quantifierOffset` for scalars.
        case optional
        /// `repeated` (and `map`): the element count (`size_t`) at `quantifierOffset`, the array at `offset`.
        case repeated
        /// A proto3 singular field; oneof members (and proto3 `optional`) keep their case at `quantifierOffset`.
        case none
    }

    /// The field's type, in protobuf-c's order (`ProtobufCType`).
    package enum Kind: UInt32, Sendable {
        case int32, sint32, sfixed32, int64, sint64, sfixed64, uint32, fixed32, uint64, fixed64
        case float, double, bool, enumeration, string, bytes, message
    }

    /// The name in the `.proto` file, for example `page_size`.
    package let name: String
    /// The field number.
    package let number: UInt32
    /// Singular or repeated.
    package let label: Label
    /// The type.
    package let kind: Kind
    /// Byte offset of the presence flag, oneof case or element count in the C struct.
    package let quantifierOffset: Int
    /// Byte offset of the value (or of the array pointer) in the C struct.
    package let offset: Int
    /// Whether the field belongs to a oneof; members of one oneof share `quantifierOffset`.
    package let isOneofMember: Bool
    /// The message type of a `message` field.
    package let message: ProtobufCDescriptor?
    /// The enum type of an `enum` field.
    package let enumeration: ProtobufCEnumDescriptor?
}

/// A reference to a protobuf-c enum descriptor, a `const` C global that lives for the process.
package struct ProtobufCEnumDescriptor: @unchecked Sendable {
    // @unchecked Sendable: the pointer targets an immutable `const` descriptor emitted by protoc-c.
    let pointer: UnsafePointer<ProtobufCEnumDescriptor_>

    /// The fully qualified name, for example `audotics.v1.EventType`.
    package var fullName: String { String(cString: pointer.pointee.name) }

    /// The enum's values in declaration order: name and number.
    package var values: [(name: String, number: Int32)] {
        (0..<Int(pointer.pointee.n_values)).map { index in
            let value = pointer.pointee.values[index]
            return (String(cString: value.name), Int32(value.value))
        }
    }
}

/// protobuf-c's enum descriptor type under a name that does not clash with the Swift wrapper.
typealias ProtobufCEnumDescriptor_ = CProtobufC.ProtobufCEnumDescriptor

extension ProtobufCDescriptor {
    /// Wraps a descriptor found through `address` (the value of `ProtobufCDescriptor.address`).
    package init(address: UnsafeRawPointer) {
        pointer = address.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
    }

    /// The address of the C descriptor: equal for equal message types, usable as a cache key.
    package var address: UnsafeRawPointer { UnsafeRawPointer(pointer) }

    /// The fully qualified name, for example `audotics.v1.Track`.
    package var fullName: String { String(cString: pointer.pointee.name) }

    /// The size in bytes of the C struct.
    package var structSize: Int { pointer.pointee.sizeof_message }

    /// The fields in field-number order.
    package var fields: [ProtobufCField] {
        (0..<Int(pointer.pointee.n_fields)).map { index in
            let field = pointer.pointee.fields[index]
            let kind = ProtobufCField.Kind(rawValue: field.type.rawValue)!
            let label: ProtobufCField.Label =
                switch field.label {
                case PROTOBUF_C_LABEL_REQUIRED: .required
                case PROTOBUF_C_LABEL_OPTIONAL: .optional
                case PROTOBUF_C_LABEL_REPEATED: .repeated
                default: .none
                }
            return ProtobufCField(
                name: String(cString: field.name), number: field.id, label: label, kind: kind,
                quantifierOffset: Int(field.quantifier_offset), offset: Int(field.offset),
                isOneofMember: field.flags & UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue) != 0,
                message: kind == .message
                    ? ProtobufCDescriptor(address: field.descriptor!) : nil,
                enumeration: kind == .enumeration
                    ? ProtobufCEnumDescriptor(pointer: field.descriptor!.assumingMemoryBound(to: ProtobufCEnumDescriptor_.self))
                    : nil)
        }
    }
}
