public import AudoticsProtobuf

/// A message under construction from JSON and text, for the gateway's transcoding of a request:
/// merge the body, set path and query parameters, then serialize.
///
/// ```swift
/// let request = ProtoJSONRequest(descriptor: UpdatePlaylistRequest._protobufCDescriptor)
/// try request.merge(json: body, intoField: ["playlist"])     // body: "playlist"
/// try request.set(path: ["playlist_id"], text: "pl_123")     // from the URL path
/// let bytes = request.serialized()
/// ```
///
/// The message lives as protobuf-c structs in an arena the request owns. Merging replaces
/// singular fields and appends to lists and maps. After a failed call the message may hold part
/// of the input: discard it.
///
/// Not `Sendable`: it is mutable state meant for the one task handling a request.
public final class ProtoJSONRequest {
    /// The message type being built.
    public let descriptor: ProtobufCDescriptor
    private let schema: MessageSchema
    private let registry: ProtoJSONTypeRegistry
    private let options: JSONDecodingOptions
    private let arena: ProtobufCArena
    private let root: UnsafeMutableRawPointer

    /// An empty message of `descriptor`'s type; `registry` resolves `Any` type URLs.
    public init(descriptor: ProtobufCDescriptor, registry: ProtoJSONTypeRegistry = .standard, options: JSONDecodingOptions = .default) {
        self.descriptor = descriptor
        self.registry = registry
        self.options = options
        schema = MessageSchema.of(descriptor)
        // Small enough for malloc's per-thread cache (most requests are an ID or a short body): a 4 KiB first
        // block went through malloc's slow path on every request. Larger messages grow the arena in 4 KiB blocks.
        arena = ProtobufCArena.allocateOwned(initialCapacity: 896)
        root = arena.newMessage(descriptor)
    }

    deinit { arena.deallocateOwned() }

    /// Merges a JSON object (UTF-8) into the message.
    public func merge(json: UnsafeRawBufferPointer) throws(JSONMappingError) {
        var reader = MessageReader(input: json, arena: arena, registry: registry, options: options)
        do throws(MappingFailure) {
            try reader.readMessage(into: root, schema)
            try reader.scanner.finish()
        } catch {
            throw error.error
        }
    }

    /// Merges a JSON object (UTF-8) into the message.
    public func merge(json: [UInt8]) throws(JSONMappingError) {
        let result = json.withUnsafeBytes { buffer in Result { () throws(JSONMappingError) in try merge(json: buffer) } }
        try result.get()
    }

    /// Merges a JSON value into the field at `path` (HttpRule `body: "field"`): an object for a
    /// message field, an array for a list, the value's own form for a scalar.
    public func merge(json: UnsafeRawBufferPointer, intoField path: [String]) throws(JSONMappingError) {
        var reader = MessageReader(input: json, arena: arena, registry: registry, options: options)
        do throws(MappingFailure) {
            let (message, field) = try resolve(path)
            do throws(MappingFailure) {
                try reader.readField(field, into: message)
            } catch {
                throw Self.located(error, path)
            }
            try reader.scanner.finish()
        } catch {
            throw error.error
        }
    }

    /// Merges a JSON value into the field at `path` (HttpRule `body: "field"`).
    public func merge(json: [UInt8], intoField path: [String]) throws(JSONMappingError) {
        let result = json.withUnsafeBytes { buffer in
            Result { () throws(JSONMappingError) in try merge(json: buffer, intoField: path) }
        }
        try result.get()
    }

    /// Sets the field at a dotted path (`["playlist", "name"]`, proto or JSON names) from text, as
    /// path and query parameters give it: numbers in JSON's syntax (`NaN`, `Infinity` for floats),
    /// `true`/`false` (or `1`/`0`), enum names or numbers, strings as they are, bytes in base64,
    /// Timestamp, Duration and FieldMask in their JSON string forms, wrappers as their value.
    /// A repeated field gets the value appended. Messages on the way are created.
    public func set(path: [String], text: String) throws(JSONMappingError) {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(JSONMappingError) in try set(path: path, utf8: UnsafeRawBufferPointer(utf8)) }
        }
        try result.get()
    }

    /// Sets the field at `path` from UTF-8 text (see `set(path:text:)`); the text is validated.
    public func set(path: [String], utf8 text: UnsafeRawBufferPointer) throws(JSONMappingError) {
        do throws(MappingFailure) {
            guard UTF8Validation.isValid(text) else {
                throw Self.located(MappingFailure(.invalidValue, "the text is not valid UTF-8"), path)
            }
            let (message, field) = try resolve(path)
            do throws(MappingFailure) {
                try setText(text, field, in: message)
            } catch {
                throw Self.located(error, path)
            }
        } catch {
            throw error.error
        }
    }

    /// The message's binary protobuf encoding (protobuf-c `pack`).
    public func serialized() -> [UInt8] {
        arena.packExactly(root)
    }

    /// The message holding the last field of `path` (created on the way) and that field.
    private func resolve(_ path: [String]) throws(MappingFailure) -> (UnsafeMutableRawPointer, FieldSchema) {
        guard !path.isEmpty else { throw MappingFailure(.unknownField, "an empty field path") }
        var message = root
        var schema = self.schema
        for (depth, component) in path.enumerated() {
            var name = component
            let found = name.withUTF8 { schema.fieldIndex(named: UnsafeRawBufferPointer($0)) }
            guard let found else {
                var failure = MappingFailure(.unknownField, "unknown field \"\(component)\" in \(schema.fullName)")
                failure.mentionsField = true
                throw Self.located(failure, Array(path[..<depth]))
            }
            let field = schema.fields[found]
            if depth == path.count - 1 { return (message, field) }
            guard field.kind == .message, !field.isRepeated, let sub = field.message else {
                throw Self.located(
                    MappingFailure(.invalidValue, "a path can only go through singular message fields"), Array(path[...depth]))
            }
            message = FieldStorage.singularMessage(field, in: message, arena: arena)
            schema = sub
        }
        preconditionFailure("unreachable: the loop returns at the last component")
    }

    /// Sets one field from text; repeated fields get an element appended.
    private func setText(_ text: UnsafeRawBufferPointer, _ field: FieldSchema, in message: UnsafeMutableRawPointer) throws(MappingFailure) {
        guard !field.isMap else { throw MappingFailure(.invalidValue, "a map field cannot be set from text") }
        let values = TextValue(arena: arena)
        if field.isRepeated {
            var elements = GrowableArray(stride: MessageWriter.stride(field.kind), arena: arena)
            let slot = elements.appendSlot()
            if field.kind == .message {
                let sub = arena.newMessage(field.message!.descriptor)
                try setMessageText(text, field.message!, sub)
                slot.storeBytes(of: sub, as: UnsafeMutableRawPointer.self)
            } else {
                try values.store(text, field, into: slot, isMapKey: false)
            }
            FieldStorage.append(elements, to: field, in: message, arena: arena)
        } else if field.kind == .message {
            // Parse before creating the message, so a bad value leaves an unset field unset.
            let scratch = arena.newMessage(field.message!.descriptor)
            try setMessageText(text, field.message!, scratch)
            let sub = FieldStorage.singularMessage(field, in: message, arena: arena)
            sub.copyMemory(from: scratch, byteCount: field.message!.descriptor.structSize)
        } else {
            try values.store(text, field, into: message + field.offset, isMapKey: false)
            FieldStorage.markPresent(field, in: message)
        }
    }

    /// Sets a well-known type with a text form (Timestamp, Duration, FieldMask, wrappers).
    private func setMessageText(_ text: UnsafeRawBufferPointer, _ schema: MessageSchema, _ message: UnsafeMutableRawPointer) throws(MappingFailure) {
        switch schema.wellKnown {
        case .timestamp?, .duration?, .fieldMask?:
            try TextValue(arena: arena).setWellKnown(schema, text: text, into: message)
        case .wrapper?:
            let value = schema.fields[0]
            try TextValue(arena: arena).store(text, value, into: message + value.offset, isMapKey: false)
        default:
            throw MappingFailure(.invalidValue, "a \(schema.fullName) cannot be set from text")
        }
    }

    /// `failure` placed at `path` (outermost first).
    private static func located(_ failure: MappingFailure, _ path: [String]) -> MappingFailure {
        var located = failure
        located.reversedPath.append(contentsOf: path.reversed())
        return located
    }
}
