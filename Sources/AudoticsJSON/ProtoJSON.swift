public import AudoticsProtobuf

/// The proto3 JSON mapping for any message, driven by protobuf-c descriptors: binary protobuf to
/// JSON and back without Swift message types.
///
/// ```swift
/// let json = try ProtoJSON.encode(responseBytes, descriptor: Track._protobufCDescriptor)
/// let request = try ProtoJSON.decode(json: body, descriptor: CreatePlaylistRequest._protobufCDescriptor)
/// ```
///
/// Input sizes are the caller's to bound (the gateway limits request bodies); nesting is bounded
/// by the options' `maxDepth`.
public enum ProtoJSON {
    /// Converts a binary protobuf message of `descriptor`'s type to JSON (UTF-8).
    ///
    /// protobuf-c unpacks the bytes into an arena and the C struct is walked field by field.
    /// Unknown fields of the binary form have no JSON form and are dropped.
    ///
    /// - Throws: `JSONMappingError` when the bytes are malformed, a string is not UTF-8, a
    ///   Timestamp or Duration is out of range, or an `Any` holds a type `registry` does not know.
    public static func encode(
        _ bytes: UnsafeRawBufferPointer, descriptor: ProtobufCDescriptor, options: JSONEncodingOptions = .default,
        registry: ProtoJSONTypeRegistry = .standard
    ) throws(JSONMappingError) -> [UInt8] {
        let schema = MessageSchema.of(descriptor)
        let result = ProtobufCArena.with(initialCapacity: Swift.min(bytes.count * 2 + 512, 16 * 1024)) { arena in
            Result { () throws(MappingFailure) -> [UInt8] in
                guard let message = arena.unpackMessage(descriptor, bytes) else {
                    throw MappingFailure(.malformedProtobuf, "the bytes are not a valid encoding of \(schema.fullName)")
                }
                var writer = MessageWriter(
                    out: JSONOutput(capacity: bytes.count * 3 + 64, arena: arena), options: options, registry: registry, arena: arena)
                try writer.writeMessage(message, schema, depth: 0)
                return writer.out.bytes
            }
        }
        do throws(MappingFailure) { return try result.get() } catch { throw error.error }
    }

    /// Converts a binary protobuf message of `descriptor`'s type to JSON (UTF-8).
    public static func encode(
        _ bytes: [UInt8], descriptor: ProtobufCDescriptor, options: JSONEncodingOptions = .default,
        registry: ProtoJSONTypeRegistry = .standard
    ) throws(JSONMappingError) -> [UInt8] {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONMappingError) in try encode(buffer, descriptor: descriptor, options: options, registry: registry) }
        }
        return try result.get()
    }

    /// Converts a JSON object to the binary protobuf encoding of a message of `descriptor`'s type.
    ///
    /// The same as merging `json` into an empty `ProtoJSONRequest` and serializing it.
    public static func decode(
        json: UnsafeRawBufferPointer, descriptor: ProtobufCDescriptor, options: JSONDecodingOptions = .default,
        registry: ProtoJSONTypeRegistry = .standard
    ) throws(JSONMappingError) -> [UInt8] {
        let schema = MessageSchema.of(descriptor)
        let result = ProtobufCArena.with(initialCapacity: Swift.min(json.count * 2 + 512, 16 * 1024)) { arena in
            Result { () throws(MappingFailure) -> [UInt8] in
                let message = arena.newMessage(descriptor)
                var reader = MessageReader(input: json, arena: arena, registry: registry, options: options)
                try reader.readMessage(into: message, schema)
                try reader.scanner.finish()
                return arena.packExactly(message)
            }
        }
        do throws(MappingFailure) { return try result.get() } catch { throw error.error }
    }

    /// Converts a JSON object to the binary protobuf encoding of a message of `descriptor`'s type.
    public static func decode(
        json: [UInt8], descriptor: ProtobufCDescriptor, options: JSONDecodingOptions = .default,
        registry: ProtoJSONTypeRegistry = .standard
    ) throws(JSONMappingError) -> [UInt8] {
        let result = json.withUnsafeBytes { buffer in
            Result { () throws(JSONMappingError) in try decode(json: buffer, descriptor: descriptor, options: options, registry: registry) }
        }
        return try result.get()
    }
}
