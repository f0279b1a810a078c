import AudoticsHTTP2
import AudoticsRPC
@testable import AudoticsTransport
import Testing

/// The HPACK fields a channel sends for a call, built straight from the request head.
@Suite("Request HPACK fields")
struct RequestFieldsTests {
    @Test("the same fields in the same order as the head's; the token never indexed, per-call values kept out of the table")
    func fieldsOfHead() throws {
        var metadata = Metadata()
        metadata.addString("Bearer abc", forKey: "authorization")
        metadata.addString("0123456789abcdef", forKey: "x-request-id")
        metadata.addString("blue", forKey: "x-colour")
        metadata.addString("overridden", forKey: "user-agent")
        let method = MethodDescriptor(service: "audotics.v1.MusicService", method: "GetTrack", kind: .unary)
        let head = GRPCRequestHead(
            descriptor: method, scheme: "https", authority: "music:50052", timeout: .seconds(2), metadata: metadata)
        let fields = try GRPCChannel.fields(of: head, path: method.path)
        #expect(fields.map(\.name) == (try head.headers()).map(\.name))
        #expect(fields.map(\.value) == (try head.headers()).map(\.value))
        #expect(fields.first { $0.name == ":path" }?.value == "/audotics.v1.MusicService/GetTrack")
        #expect(fields.filter { $0.name == "user-agent" }.map(\.value) == [GRPCRequestHead.defaultUserAgent])
        let byName = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["authorization"]?.isSensitive == true)
        #expect(byName["grpc-timeout"]?.isIndexable == false)
        #expect(byName["x-request-id"]?.isIndexable == false)
        #expect(byName["x-colour"].map { !$0.isNeverIndexed } == true)
        #expect(byName[":authority"]?.value == "music:50052")
    }

    @Test("invalid metadata fails the call before anything is sent")
    func invalidMetadata() {
        var metadata = Metadata()
        metadata.addString("line\nbreak", forKey: "x-bad")
        let method = MethodDescriptor(service: "s.S", method: "M", kind: .unary)
        let head = GRPCRequestHead(descriptor: method, metadata: metadata)
        #expect(throws: RPCError.self) { try GRPCChannel.fields(of: head, path: method.path) }
    }
}
