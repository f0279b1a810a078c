import AudoticsConformanceAPI
import AudoticsProtobuf
import AudoticsTestSupport
import Foundation
import Testing

/// Interoperability with a real peer: Python's `protobuf` package encodes and decodes the same
/// canonical messages (Tests/Peers/protobuf_peer.py).
@Suite("protobuf interop with Python", .serialized)
struct PythonPeerTests {
    @Test("Swift decodes what Python encodes, for every shape")
    func decodePythonEncoding() throws {
        let folder = try TemporaryFolder()
        let output = try PythonPeer.run(["protobuf_peer.py", "encode", folder.path])
        #expect(output.status == 0, "\(output.text)")
        for (name, expected) in ConformanceCases.all {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder.path + "/\(name).bin")))
            try expectDecodes(bytes, as: expected, name: name)
        }
    }

    @Test("Python decodes what Swift encodes, for every shape")
    func pythonDecodesSwiftEncoding() throws {
        let folder = try TemporaryFolder()
        for (name, message) in ConformanceCases.all {
            try Data(message.serializedBytes()).write(to: URL(fileURLWithPath: folder.path + "/\(name).bin"))
        }
        let output = try PythonPeer.run(["protobuf_peer.py", "verify", folder.path])
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains("\(ConformanceCases.all.count) passed, 0 failed"), "\(output.text)")
    }

    private func expectDecodes<M: ProtobufMessage>(_ bytes: [UInt8], as expected: M, name: String) throws {
        let decoded = try M(serializedBytes: bytes)
        #expect(decoded == expected, "case \(name)")
    }
}
