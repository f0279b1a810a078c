import AudoticsAPI
import AudoticsConformanceAPI
import AudoticsJSON
import AudoticsProtobuf
import AudoticsTestSupport
import AudoticsWellKnownTypes
import Foundation
import Testing

/// Interoperability with a real peer: Python's `protobuf` json_format (Tests/Peers/json_peer.py).
///
/// Python writes every case as binary and as JSON in four styles; Swift turns each JSON into
/// binary and the binary into JSON (two styles); Python parses what Swift wrote and compares it
/// with the case as a parsed message, so a wrong value, a dropped field or an unparsable document
/// fails the test, and compares Swift's JSON with its own for the same options as JSON values, so
/// a form its lenient parser accepts (an int64 as a number) fails too.
@Suite("proto3 JSON interop with Python json_format", .serialized)
struct PythonJSONPeerTests {
    /// Every message type of the cases, found by full name.
    static let registry: ProtoJSONTypeRegistry = {
        var registry = ProtoJSONTypeRegistry.standard
        let types: [any ProtobufMessage.Type] = [
            Everything.self, EvolvedItem.self, UpdatePlaylistRequest.self, AddTracksRequest.self, Event.self, ModelInfo.self,
        ]
        for type in types { registry.register(type) }
        return registry
    }()

    @Test("Python parses Swift's JSON and Swift's binary from Python's JSON into the same messages")
    func interop() throws {
        let folder = try TemporaryFolder()
        let written = try PythonPeer.run(["json_peer.py", "write", folder.path])
        try #require(written.status == 0, "\(written.text)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".type") }
            .map { String($0.dropLast(5)) }.sorted()
        #expect(names.count >= 30)
        var checks = 0
        for name in names {
            let base = folder.path + "/" + name
            let typeName = try String(contentsOfFile: base + ".type", encoding: .utf8)
            let descriptor = try #require(Self.registry.descriptor(forName: typeName), "\(typeName)")
            for variant in ["camel", "names", "defaults", "compact"] {
                let file = variant == "camel" ? "\(base).json" : "\(base).\(variant).json"
                let json = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
                do {
                    let bytes = try ProtoJSON.decode(json: json, descriptor: descriptor, registry: Self.registry)
                    try Data(bytes).write(to: URL(fileURLWithPath: "\(base).\(variant).swift.bin"))
                    checks += 1
                } catch {
                    Issue.record("\(name).\(variant): \(error)")
                }
            }
            let binary = try [UInt8](Data(contentsOf: URL(fileURLWithPath: base + ".bin")))
            for (suffix, options) in [
                ("camel-defaults", JSONEncodingOptions()),
                ("names-sparse", JSONEncodingOptions(emitDefaultValues: false, useProtoFieldNames: true)),
            ] {
                do {
                    let json = try ProtoJSON.encode(binary, descriptor: descriptor, options: options, registry: Self.registry)
                    try Data(json).write(to: URL(fileURLWithPath: "\(base).\(suffix).swift.json"))
                    checks += 1
                } catch {
                    Issue.record("\(name) \(suffix): \(error)")
                }
            }
        }
        let verified = try PythonPeer.run(["json_peer.py", "verify", folder.path])
        #expect(verified.status == 0, "\(verified.text)")
        #expect(verified.text.contains("\(checks) passed, 0 failed"), "\(verified.text)")
    }

    @Test("the peer's comparison can fail: a changed value is reported")
    func peerDetectsMismatch() throws {
        let folder = try TemporaryFolder()
        let written = try PythonPeer.run(["json_peer.py", "write", folder.path])
        try #require(written.status == 0, "\(written.text)")
        let wrong = Scalars.with { $0.int32Value = 1 }
        try Data(ProtoJSON.encode(wrong.serializedBytes(), descriptor: Scalars._protobufCDescriptor))
            .write(to: URL(fileURLWithPath: folder.path + "/scalars_max.camel-defaults.swift.json"))
        let verified = try PythonPeer.run(["json_peer.py", "verify", folder.path])
        #expect(verified.status == 1)
        #expect(verified.text.contains("0 passed, 1 failed"), "\(verified.text)")
    }
}
