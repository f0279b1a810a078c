import AudoticsConformanceAPI
import AudoticsJSON
import AudoticsProtobuf
import AudoticsWellKnownTypes

/// Shorthands for the JSON tests: encode a Swift message to JSON text, decode JSON text into one.
enum JSONTest {
    /// The message's JSON, as text.
    static func json<M: ProtobufMessage>(_ message: M, options: JSONEncodingOptions = .default) throws -> String {
        let bytes = try ProtoJSON.encode(message.serializedBytes(), descriptor: M._protobufCDescriptor, options: options)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The message JSON text decodes to.
    static func decode<M: ProtobufMessage>(_ json: String, as type: M.Type = M.self) throws -> M {
        try M(serializedBytes: ProtoJSON.decode(json: Array(json.utf8), descriptor: M._protobufCDescriptor))
    }

    /// The error decoding `json` as `M` fails with (`nil` when it succeeds).
    static func error<M: ProtobufMessage>(_ json: String, as type: M.Type) -> JSONMappingError? {
        do {
            _ = try ProtoJSON.decode(json: Array(json.utf8), descriptor: M._protobufCDescriptor)
            return nil
        } catch {
            return error
        }
    }

    /// `json` decoded, encoded and decoded again equals `message`, with every option combination.
    static func roundTrips<M: ProtobufMessage>(_ message: M) throws -> Bool {
        for options in [
            JSONEncodingOptions(), JSONEncodingOptions(emitDefaultValues: false),
            JSONEncodingOptions(useProtoFieldNames: true), JSONEncodingOptions(emitDefaultValues: false, useProtoFieldNames: true),
        ] {
            let decoded: M = try decode(json(message, options: options))
            if decoded != message { return false }
        }
        return true
    }
}
