import AudoticsProtobuf
import Glibc

/// An enum type's names and numbers, as bytes for the JSON reader and writer.
final class EnumSchema: @unchecked Sendable {
    // @unchecked Sendable: immutable after `init`; the buffers are never freed.
    let fullName: String
    /// Per declared value: its number, its name and its quoted name (`"NAME"`), in declaration order.
    private let values: [(number: Int32, name: UnsafeBufferPointer<UInt8>, quoted: UnsafeBufferPointer<UInt8>)]

    init(_ descriptor: ProtobufCEnumDescriptor) {
        fullName = descriptor.fullName
        values = descriptor.values.map { value in
            let name = Array(value.name.utf8)
            return (value.number, FieldSchema.immortal(name), FieldSchema.immortal([UInt8(ascii: "\"")] + name + [UInt8(ascii: "\"")]))
        }
    }

    /// The quoted name of `number` (the first declared, for aliases), `nil` when not declared.
    func quotedName(_ number: Int32) -> UnsafeBufferPointer<UInt8>? {
        values.withUnsafeBufferPointer { values in
            for value in values where value.number == number { return value.quoted }
            return nil
        }
    }

    /// The number of the value named `name`.
    func number(named name: UnsafeRawBufferPointer) -> Int32? {
        values.withUnsafeBufferPointer { values in
            for value in values where value.name.count == name.count
                && (name.count == 0 || memcmp(value.name.baseAddress!, name.baseAddress!, name.count) == 0)
            {
                return value.number
            }
            return nil
        }
    }
}
