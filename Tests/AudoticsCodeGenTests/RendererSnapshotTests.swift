import AudoticsCodeGen
import Foundation
import Testing

/// The renderer's output for a hand-built model, compared with a committed snapshot.
///
/// After an intended change to the generated code, refresh the snapshot with
/// `AUDOTICS_UPDATE_SNAPSHOTS=1 swift test --filter RendererSnapshotTests` and review the diff.
@Suite("renderer snapshots")
struct RendererSnapshotTests {
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    @Test("a file with every field kind, a oneof, optional fields, a map and all four RPC kinds")
    func sampleFile() throws {
        let files = try Generator.generate(SampleModel.request)
        #expect(files.map(\.name) == ["demo/v1/sample.pb.swift"])
        try compare(files[0].content, snapshot: "sample.pb.swift.txt")
    }

    @Test("a message type from a package without a module is a clear error")
    func unmappedPackage() {
        var request = SampleModel.request
        request.parameter = "module=Demo"
        #expect(throws: CodeGenError.self) { try Generator.generate(request) }
    }

    @Test("descriptor mode renders only the descriptor, and accepts proto2")
    func descriptorMode() throws {
        var request = SampleModel.request
        request.parameter = "mode=descriptor,module=Demo,package=google.protobuf=WellKnown"
        request.files[1].syntax = "proto2"
        let content = try #require(try Generator.generate(request).first?.content)
        #expect(content.contains("public enum SampleProtoFile"))
        #expect(content.contains("WellKnown.TimestampProtoFile.descriptor"))
        #expect(content.contains("internal import WellKnown"))
        #expect(!content.contains("struct Song"))
        #expect(!content.contains("CAudoticsProto"))
    }

    @Test("an import whose package has no module is a clear error, as is a type clashing with the descriptor namespace")
    func descriptorErrors() {
        var unmapped = SampleModel.request
        unmapped.parameter = "mode=descriptor,module=Demo"
        #expect(throws: CodeGenError.self) { try Generator.generate(unmapped) }
        var clash = SampleModel.request
        clash.files[1].messages.append(MessageModel(name: "SampleProtoFile", fullName: "demo.v1.SampleProtoFile"))
        #expect(throws: CodeGenError.self) { try Generator.generate(clash) }
    }

    @Test("recursive messages are refused with the cycle named")
    func recursion() {
        var request = SampleModel.request
        request.files[1].messages.append(
            MessageModel(name: "Node", fullName: "demo.v1.Node", fields: [
                FieldModel(name: "next", number: 1, type: .message, typeName: "demo.v1.Node")
            ]))
        #expect(throws: CodeGenError.self) { try Generator.generate(request) }
    }

    private func compare(_ content: String, snapshot name: String) throws {
        let url = Self.snapshots.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["AUDOTICS_UPDATE_SNAPSHOTS"] == "1" {
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(content == expected, "the generated code differs from Snapshots/\(name)")
    }
}

/// A small model exercising every renderer path.
enum SampleModel {
    static let timestampFile = ProtoFile(
        name: "google/protobuf/timestamp.proto", package: "google.protobuf",
        messages: [
            MessageModel(name: "Timestamp", fullName: "google.protobuf.Timestamp", fields: [
                FieldModel(name: "seconds", number: 1, type: .int64),
                FieldModel(name: "nanos", number: 2, type: .int32),
            ])
        ])

    static let sampleFile = ProtoFile(
        name: "demo/v1/sample.proto", package: "demo.v1",
        dependencies: ["google/protobuf/timestamp.proto"],
        messages: [
            MessageModel(
                name: "Song", fullName: "demo.v1.Song",
                fields: [
                    FieldModel(name: "song_id", number: 1, type: .string, comment: " The song's ID.\n"),
                    FieldModel(name: "plays", number: 2, type: .uint64),
                    FieldModel(name: "liked", number: 3, type: .bool),
                    FieldModel(name: "cover", number: 4, type: .bytes),
                    FieldModel(name: "mood", number: 5, type: .enum, typeName: "demo.v1.Mood"),
                    FieldModel(name: "released_at", number: 6, type: .message, typeName: "google.protobuf.Timestamp"),
                    FieldModel(name: "tags", number: 7, label: .repeated, type: .string),
                    FieldModel(name: "scores", number: 8, label: .repeated, type: .double),
                    FieldModel(name: "credits", number: 9, label: .repeated, type: .message, typeName: "demo.v1.Song.Credit"),
                    FieldModel(name: "counts", number: 10, label: .repeated, type: .message, typeName: "demo.v1.Song.CountsEntry"),
                    FieldModel(name: "url", number: 11, type: .string, oneofIndex: 0),
                    FieldModel(name: "file_id", number: 12, type: .int64, oneofIndex: 0),
                    FieldModel(name: "rating", number: 13, type: .int32, oneofIndex: 1, isProto3Optional: true),
                    FieldModel(name: "moods", number: 14, label: .repeated, type: .enum, typeName: "demo.v1.Mood"),
                    FieldModel(name: "chunks", number: 15, label: .repeated, type: .bytes),
                ],
                oneofs: [OneofModel(name: "source", comment: " Where the audio is.\n"), OneofModel(name: "_rating", isSynthetic: true)],
                messages: [
                    MessageModel(name: "Credit", fullName: "demo.v1.Song.Credit", fields: [
                        FieldModel(name: "name", number: 1, type: .string)
                    ]),
                    MessageModel(
                        name: "CountsEntry", fullName: "demo.v1.Song.CountsEntry",
                        fields: [
                            FieldModel(name: "key", number: 1, type: .string),
                            FieldModel(name: "value", number: 2, type: .int32),
                        ], isMapEntry: true),
                ],
                comment: " A song.\n"),
            MessageModel(name: "Empty", fullName: "demo.v1.Empty"),
        ],
        enums: [
            EnumModel(name: "Mood", fullName: "demo.v1.Mood", values: [
                .init(name: "MOOD_UNSPECIFIED", number: 0), .init(name: "MOOD_CALM", number: 1),
                .init(name: "MOOD_LOUD", number: 2, comment: " Loud.\n"),
            ])
        ],
        services: [
            ServiceModel(name: "SongService", fullName: "demo.v1.SongService", methods: [
                MethodModel(
                    name: "GetSong", inputType: "demo.v1.Song", outputType: "demo.v1.Song", isIdempotent: true,
                    http: HTTPRuleModel(method: "GET", path: "/v1/songs/{song_id}", additionalBindings: [
                        HTTPRuleModel(method: "GET", path: "/v1/albums/{album_id}/songs/{song_id}")
                    ])),
                MethodModel(name: "Upload", inputType: "demo.v1.Song", outputType: "demo.v1.Empty", clientStreaming: true),
                MethodModel(name: "Watch", inputType: "demo.v1.Empty", outputType: "demo.v1.Song", serverStreaming: true),
                MethodModel(
                    name: "Chat", inputType: "demo.v1.Song", outputType: "demo.v1.Song", clientStreaming: true, serverStreaming: true,
                    http: HTTPRuleModel(method: "POST", path: "/v1/songs:chat", body: "*")),
            ])
        ],
        // A stand-in for protoc's encoding: 18 bytes, so the rendering wraps after 16.
        serializedDescriptor: [0x0a, 0x14] + Array("demo/v1/sample.proto".utf8).prefix(16))

    static let request = CodeGeneratorRequest(
        filesToGenerate: ["demo/v1/sample.proto"],
        parameter: "module=Demo,package=google.protobuf=WellKnown",
        files: [timestampFile, sampleFile])
}
