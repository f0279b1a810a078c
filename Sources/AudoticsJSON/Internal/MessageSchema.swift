import AudoticsProtobuf
import Glibc
import Synchronization

/// What the JSON mapping needs to know about one message type, derived once from its protobuf-c
/// descriptor and cached for the process: field names in both styles as bytes, map entries,
/// well-known types.
///
/// protobuf-c 1.4 descriptors carry no `json_name`, so lowerCamelCase names are derived as protoc
/// derives them (a custom `json_name` option is therefore not honoured; our protos use none).
final class MessageSchema: @unchecked Sendable {
    // @unchecked Sendable: the elements of `fields` are written inside
    // `MessageSchema.cache`'s lock, before the schema is published to any other caller; afterwards
    // nothing mutates them. Schemas are never freed.
    let descriptor: ProtobufCDescriptor
    let fullName: String
    let wellKnown: WellKnownType?
    /// Both names of every field, for looking keys up without reference counting.
    let names: FieldNameTable
    /// The fields in number order: never freed, like the schema (a `let` buffer, so reading it
    /// needs neither reference counting nor exclusivity checks).
    let fields: UnsafeBufferPointer<FieldSchema>
    private let fieldStorage: UnsafeMutableBufferPointer<FieldSchema>

    private init(descriptor: ProtobufCDescriptor) {
        self.descriptor = descriptor
        fullName = descriptor.fullName
        wellKnown = WellKnownType(fullName: fullName)
        let descriptorFields = descriptor.fields
        names = FieldNameTable(descriptorFields.map { Array($0.name.utf8) })
        fieldStorage = .allocate(capacity: Swift.max(descriptorFields.count, 1))
        fields = UnsafeBufferPointer(rebasing: fieldStorage[..<descriptorFields.count])
    }

    /// The field numbered `number`.
    func field(number: UInt32) -> FieldSchema? {
        fields.first { $0.number == number }
    }

    /// The index of the field a JSON key or path segment names, by lowerCamelCase or proto name.
    ///
    /// The search starts at `hint` (the field after the previous key's): keys usually come in field order.
    func fieldIndex(named name: UnsafeRawBufferPointer, hint: Int = 0) -> Int? {
        names.find(name, hint: hint)
    }

    /// The schemas built so far, keyed by descriptor address.
    private static let cache = Mutex<[Int: MessageSchema]>([:])

    /// The schema of `descriptor`'s message type and of every type it reaches.
    static func of(_ descriptor: ProtobufCDescriptor) -> MessageSchema {
        cache.withLock { cache in build(descriptor, &cache) }
    }

    private static func build(_ descriptor: ProtobufCDescriptor, _ cache: inout [Int: MessageSchema]) -> MessageSchema {
        let key = Int(bitPattern: descriptor.address)
        if let known = cache[key] { return known }
        let schema = MessageSchema(descriptor: descriptor)
        cache[key] = schema  // before the fields, so recursive types terminate
        for (index, field) in descriptor.fields.enumerated() {
            let message = field.message.map { build($0, &cache) }
            (schema.fieldStorage.baseAddress! + index).initialize(to: FieldSchema(field: field, message: message, parentName: schema.fullName))
        }
        return schema
    }
}
