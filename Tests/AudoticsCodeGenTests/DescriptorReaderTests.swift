import AudoticsCodeGen
import Foundation
import Testing

/// Reads real `CodeGeneratorRequest`s that protoc builds from the contracts in proto/.
@Suite("DescriptorReader on protoc's requests")
struct DescriptorReaderTests {
    @Test("services, streaming kinds, comments and google.api.http rules are read")
    func musicService() throws {
        let request = try ProtocRequest.capture(["audotics/v1/music.proto", "audotics/v1/analytics.proto"])
        let music = try #require(request.files.first { $0.name == "audotics/v1/music.proto" })
        let service = try #require(music.services.first)
        #expect(service.fullName == "audotics.v1.MusicService")
        #expect(!service.comment.isEmpty)
        let getTrack = try #require(service.methods.first { $0.name == "GetTrack" })
        #expect(getTrack.http?.method == "GET")
        #expect(getTrack.http?.path == "/v1/tracks/{track_id}")
        #expect(getTrack.inputType == "audotics.v1.GetTrackRequest")
        #expect(getTrack.isIdempotent, "idempotency_level = NO_SIDE_EFFECTS")
        let analytics = try #require(request.files.first { $0.name == "audotics/v1/analytics.proto" })
        let stream = try #require(analytics.services.first?.methods.first { $0.name == "StreamEvents" })
        #expect(stream.clientStreaming && !stream.serverStreaming)
        #expect(stream.http == nil)
        #expect(!stream.isIdempotent)
    }

    @Test("each file's FileDescriptorProto is re-encoded without source info, extension options kept")
    func serializedDescriptor() throws {
        let request = try ProtocRequest.capture(["audotics/v1/music.proto"])
        let music = try #require(request.files.first { $0.name == "audotics/v1/music.proto" })
        let bytes = music.serializedDescriptor
        // Field 1 (name), length-delimited, comes first.
        #expect(Array(bytes.prefix(2)) == [0x0a, UInt8(music.name.utf8.count)])
        #expect(Array(bytes[2..<(2 + music.name.utf8.count)]) == Array(music.name.utf8))
        // Comments live in source_code_info (field 9), which is dropped; the http rule's path stays.
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!service(music).comment.isEmpty && !text.contains(service(music).comment.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(text.contains("/v1/tracks/{track_id}"))
        // Imported files protoc sends without source info come through as well.
        #expect(request.files.allSatisfy { !$0.serializedDescriptor.isEmpty })
    }

    private func service(_ file: ProtoFile) -> ServiceModel { file.services[0] }

    @Test("additional bindings, maps, oneofs and proto3 optional are read")
    func shapes() throws {
        let request = try ProtocRequest.capture(["audotics/v1/playlist.proto", "audotics/conformance/v1/shapes.proto"])
        let playlist = try #require(request.files.first { $0.name == "audotics/v1/playlist.proto" })
        let list = try #require(playlist.services.first?.methods.first { $0.name == "ListPlaylists" })
        #expect(list.http?.additionalBindings.count == 1)
        let shapes = try #require(request.files.first { $0.name == "audotics/conformance/v1/shapes.proto" })
        let maps = try #require(shapes.messages.first { $0.name == "Maps" })
        #expect(maps.messages.allSatisfy { $0.isMapEntry })
        let presence = try #require(shapes.messages.first { $0.name == "Presence" })
        #expect(presence.fields.filter(\.isProto3Optional).count == 7)
        #expect(presence.oneofs.allSatisfy { $0.isSynthetic })
        let choice = try #require(shapes.messages.first { $0.name == "Choice" })
        #expect(choice.oneofs.map(\.name) == ["value"])
        #expect(choice.oneofs.allSatisfy { !$0.isSynthetic })
    }
}

/// Captures the request protoc sends to a plugin, using a two-line shell plugin.
enum ProtocRequest {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func capture(_ files: [String]) throws -> CodeGeneratorRequest {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("codegen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugin = folder.appendingPathComponent("protoc-gen-capture")
        let captured = folder.appendingPathComponent("request.bin")
        try "#!/bin/sh\ncat > '\(captured.path)'\n".write(to: plugin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/protoc")
        process.arguments = [
            "-I", repository.appendingPathComponent("proto").path, "-I", "/usr/include",
            "--plugin=protoc-gen-capture=\(plugin.path)", "--capture_out=\(folder.path)",
        ] + files
        try process.run()
        process.waitUntilExit()
        // protoc reports a failure because the plugin writes no response; the request is what matters.
        return try DescriptorReader.readRequest([UInt8](Data(contentsOf: captured)))
    }
}
