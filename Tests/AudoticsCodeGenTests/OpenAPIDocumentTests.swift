import AudoticsCodeGen
import AudoticsTestSupport
import Foundation
import Testing

/// The OpenAPI document generated from the audotics.v1 contracts, as tools/generate writes it.
@Suite("OpenAPI document of audotics.v1")
struct OpenAPIDocumentTests {
    static let protos = [
        "audotics/v1/analytics.proto", "audotics/v1/common.proto", "audotics/v1/music.proto", "audotics/v1/playlist.proto",
        "audotics/v1/recommendation.proto", "audotics/v1/user.proto",
    ]

    /// The generated files and the document parsed back with Foundation.
    private static func generate() throws -> (files: [GeneratedFile], document: [String: Any]) {
        var request = try ProtocRequest.capture(protos)
        request.parameter = "mode=openapi,module=AudoticsAPI,package=google.protobuf=AudoticsWellKnownTypes"
        let files = try Generator.generate(request)
        let json = try #require(files.first { $0.name == "openapi.json" })
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.content.utf8)) as? [String: Any])
        return (files, document)
    }

    private func operation(_ document: [String: Any], _ method: String, _ path: String) throws -> [String: Any] {
        let paths = try #require(document["paths"] as? [String: Any])
        let item = try #require(paths[path] as? [String: Any], "no path \(path)")
        return try #require(item[method] as? [String: Any], "no \(method) \(path)")
    }

    @Test("the committed docs/openapi.json and OpenAPIDocument.swift are what the generator makes")
    func committed() throws {
        let (files, _) = try Self.generate()
        let json = try #require(files.first { $0.name == "openapi.json" }).content
        let committed = try String(contentsOf: ProtocRequest.repository.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        #expect(json == committed, "docs/openapi.json is stale: run tools/generate")
        let swift = try #require(files.first { $0.name == "OpenAPIDocument.swift" }).content
        #expect(swift.contains("public static let json: String = ##\"\"\"\n" + json + "\n\"\"\"##"))
    }

    @Test("one operation per route, named <Service>_<Method>, additional bindings numbered")
    func operations() throws {
        let (_, document) = try Self.generate()
        #expect(document["openapi"] as? String == "3.1.0")
        #expect(try operation(document, "get", "/v1/tracks/{track_id}")["operationId"] as? String == "MusicService_GetTrack")
        #expect(try operation(document, "get", "/v1/auth/jwks")["operationId"] as? String == "UserService_GetJwks")
        #expect(try operation(document, "get", "/.well-known/jwks.json")["operationId"] as? String == "UserService_GetJwks_2")
        #expect(try operation(document, "get", "/v1/users/{owner_id}/playlists")["operationId"] as? String == "PlaylistService_ListPlaylists_2")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        #expect(paths.values.map(\.count).reduce(0, +) == 30)
        #expect(paths["/audotics.v1.AnalyticsService/StreamEvents"] == nil, "client streaming has no JSON route")
        let getTrack = try operation(document, "get", "/v1/tracks/{track_id}")
        #expect(getTrack["summary"] as? String == "Returns one track.")
        #expect((getTrack["description"] as? String)?.contains("NOT_FOUND (no such\ntrack)") == true)
    }

    @Test("bearer auth everywhere but the methods whose comment says 'Auth: none'")
    func security() throws {
        let (_, document) = try Self.generate()
        #expect(document["security"] as? [[String: [String]]] == [["bearerAuth": []]])
        let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: [String: String]]
        #expect(schemes?["bearerAuth"]?["scheme"] == "bearer" && schemes?["bearerAuth"]?["bearerFormat"] == "JWT")
        for (method, path) in [
            ("post", "/v1/users:register"), ("post", "/v1/auth:login"), ("post", "/v1/auth:refresh"), ("post", "/v1/auth:logout"),
            ("get", "/v1/auth/jwks"), ("get", "/.well-known/jwks.json"),
        ] {
            #expect((try operation(document, method, path)["security"] as? [Any])?.isEmpty == true, "\(path) needs no token")
        }
        #expect(try operation(document, "get", "/v1/me")["security"] == nil)
        #expect(try operation(document, "post", "/v1/playlists")["security"] == nil)
    }

    @Test("responses: 201 for creations, the schema of the response, errors from the comment, and a default")
    func responses() throws {
        let (_, document) = try Self.generate()
        let create = try #require(try operation(document, "post", "/v1/playlists")["responses"] as? [String: Any])
        #expect(create["201"] != nil && create["200"] == nil)
        let register = try #require(try operation(document, "post", "/v1/users:register")["responses"] as? [String: Any])
        #expect(Set(register.keys) == ["201", "400", "409", "429", "default"])
        let list = try #require(try operation(document, "get", "/v1/playlists")["responses"] as? [String: Any])
        #expect(Set(list.keys) == ["200", "400", "401", "429", "default"], "'not NOT_FOUND' after the Errors sentence is not a 404")
        let ok = try #require(list["200"] as? [String: Any])
        let schema = ((ok["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: String]
        #expect(schema == ["$ref": "#/components/schemas/audotics.v1.ListPlaylistsResponse"])
        #expect(list["default"] as? [String: String] == ["$ref": "#/components/responses/Error"])
    }

    @Test("path parameters from templates; query parameters for the rest when there is no body")
    func parameters() throws {
        let (_, document) = try Self.generate()
        func names(_ method: String, _ path: String) throws -> [String] {
            ((try operation(document, method, path)["parameters"] as? [[String: Any]]) ?? []).map { "\($0["in"]!):\($0["name"]!)" }
        }
        #expect(try names("get", "/v1/playlists/{playlist_id}") == ["path:playlist_id", "query:itemsPageSize", "query:itemsPageToken"])
        #expect(try names("get", "/v1/me/history") == ["query:pageSize", "query:pageToken", "query:startTime", "query:endTime"])
        #expect(try names("get", "/v1/users/{owner_id}/playlists") == ["path:owner_id", "query:pageSize", "query:pageToken"])
        #expect(try names("patch", "/v1/playlists/{playlist_id}") == ["path:playlist_id"])
        let batch = try #require((try operation(document, "get", "/v1/tracks:batchGet")["parameters"] as? [[String: Any]])?.first)
        #expect((batch["schema"] as? [String: Any])?["type"] as? String == "array")
    }

    @Test("request bodies: the whole request, or the request without the fields the path supplies")
    func requestBodies() throws {
        let (_, document) = try Self.generate()
        func schema(_ method: String, _ path: String) throws -> [String: Any] {
            let body = try #require(try operation(document, method, path)["requestBody"] as? [String: Any])
            #expect(body["required"] as? Bool == true)
            return try #require(((body["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any])
        }
        #expect(try schema("post", "/v1/auth:login") as? [String: String] == ["$ref": "#/components/schemas/audotics.v1.LoginRequest"])
        let update = try schema("patch", "/v1/playlists/{playlist_id}")
        let properties = try #require(update["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["playlist", "updateMask", "expectedSnapshotId"])
        #expect(try operation(document, "get", "/v1/me")["requestBody"] == nil)
    }

    @Test("component schemas follow the proto3 JSON mapping")
    func components() throws {
        let (_, document) = try Self.generate()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        func property(_ message: String, _ name: String) throws -> [String: Any] {
            try #require((schemas[message]?["properties"] as? [String: Any])?[name] as? [String: Any], "\(message).\(name)")
        }
        #expect(try property("audotics.v1.Track", "durationMs")["format"] as? String == "int32")
        #expect(try property("audotics.v1.Track", "title")["maxLength"] as? Int == 300)
        #expect(try property("audotics.v1.Album", "totalDurationMs")["type"] as? String == "string")
        #expect(try property("audotics.v1.UserStats", "listeningTime")["pattern"] as? String == #"^-?[0-9]+(\.[0-9]+)?s$"#)
        #expect(try property("audotics.v1.User", "createdAt")["format"] as? String == "date-time")
        #expect((try property("audotics.v1.ModelInfo", "metrics")["additionalProperties"] as? [String: Any])?["type"] as? String == "number")
        #expect(try property("audotics.v1.Playlist", "visibility")["$ref"] as? String == "#/components/schemas/audotics.v1.PlaylistVisibility")
        #expect(schemas["audotics.v1.PlaylistVisibility"]?["anyOf"] != nil)
        #expect(schemas["google.rpc.Status"] != nil)
        #expect(schemas.values.allSatisfy { $0["required"] == nil })
        #expect(Array(schemas.keys).sorted() == Array(schemas.keys).sorted { $0 < $1 })
    }

    @Test("the document is valid OpenAPI 3.1 and every message's proto3 JSON matches its schema (Python peer)")
    func pythonCheck() throws {
        let output = try PythonPeer.run(["openapi_check.py", ProtocRequest.repository.appendingPathComponent("docs/openapi.json").path])
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains("ok: "))
    }
}
