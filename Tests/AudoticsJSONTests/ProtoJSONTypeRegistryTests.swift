import AudoticsAPI
import AudoticsConformanceAPI
import AudoticsJSON
import AudoticsProtobuf
import AudoticsWellKnownTypes
import Testing

@Suite("ProtoJSONTypeRegistry and concurrent use")
struct ProtoJSONTypeRegistryTests {
    @Test("the standard registry holds the well-known and google.rpc types; lookups by name and type URL")
    func standard() throws {
        let registry = ProtoJSONTypeRegistry.standard
        for name in ["google.rpc.Status", "google.rpc.BadRequest", "google.rpc.BadRequest.FieldViolation", "google.rpc.RetryInfo",
                     "google.rpc.ErrorInfo", "google.protobuf.Timestamp", "google.protobuf.Any", "google.protobuf.BytesValue"] {
            #expect(registry.names.contains(name), "\(name)")
        }
        #expect(registry.descriptor(forTypeURL: "type.googleapis.com/google.rpc.RetryInfo") != nil)
        #expect(registry.descriptor(forTypeURL: "example.com/a/b/google.rpc.RetryInfo") != nil)
        #expect(registry.descriptor(forTypeURL: "google.rpc.RetryInfo") == nil)
        #expect(registry.descriptor(forName: "audotics.v1.Track") == nil)
    }

    @Test("registering a type adds every type it reaches; Any resolves only registered types")
    func register() throws {
        var registry = ProtoJSONTypeRegistry()
        registry.register(GetPlaylistResponse.self)
        #expect(registry.names.contains("audotics.v1.PlaylistItem"))
        #expect(registry.names.contains("audotics.v1.Track"))
        #expect(registry.names.contains("google.protobuf.Timestamp"))
        let any = ProtoAny.with { $0.typeURL = "type.googleapis.com/audotics.v1.Track"; $0.value = Track.with { $0.id = "t" }.serializedBytes() }
        let json = try ProtoJSON.encode(any.serializedBytes(), descriptor: ProtoAny._protobufCDescriptor, options: JSONEncodingOptions(emitDefaultValues: false), registry: registry)
        #expect(String(decoding: json, as: UTF8.self) == #"{"@type":"type.googleapis.com/audotics.v1.Track","id":"t"}"#)
        #expect(try ProtoAny(serializedBytes: ProtoJSON.decode(json: json, descriptor: ProtoAny._protobufCDescriptor, registry: registry)) == any)
        do {
            _ = try ProtoJSON.encode(any.serializedBytes(), descriptor: ProtoAny._protobufCDescriptor)
            Issue.record("the standard registry does not know audotics.v1.Track")
        } catch {
            #expect(error.code == .unknownType)
            #expect(error.description.hasPrefix("JSONMappingError.unknownType: "))
        }
    }

    @Test("many tasks encode and decode at once, first uses of schemas included")
    func concurrentUse() async throws {
        let everything = Everything.with {
            $0.scalars = .with { $0.stringValue = "x"; $0.int64Value = 7 }
            $0.maps = .with { $0.stringToColor = ["a": .blue] }
            $0.times = .with { $0.at = .with { $0.seconds = 9 } }
        }
        let bytes = everything.serializedBytes()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<200 {
                        let json = try ProtoJSON.encode(bytes, descriptor: Everything._protobufCDescriptor)
                        let again = try ProtoJSON.decode(json: json, descriptor: Everything._protobufCDescriptor)
                        guard try Everything(serializedBytes: again) == everything else { return false }
                        _ = try ProtoJSON.encode(Status().serializedBytes(), descriptor: Status._protobufCDescriptor)
                    }
                    return true
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
