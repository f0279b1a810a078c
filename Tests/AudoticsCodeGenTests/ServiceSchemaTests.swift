@testable import AudoticsCodeGen
import Testing

/// The per-method schemas (message types and routes) and the service list a JSON edge reads.
@Suite("service schemas and the service list")
struct ServiceSchemaTests {
    @Test("every method gets a schema with its message types; annotated ones carry their routes")
    func methodSchemas() throws {
        let content = try #require(try Generator.generate(SampleModel.request).first?.content)
        #expect(content.contains(
            "RPCMethodSchema(descriptor: Method.getSong, requestType: Song.self, responseType: Song.self, httpRoutes: ["))
        #expect(content.contains("HTTPRoute(method: \"GET\", pathTemplate: \"/v1/albums/{album_id}/songs/{song_id}\""))
        #expect(content.contains("RPCMethodSchema(descriptor: Method.upload, requestType: Song.self, responseType: Empty.self),"))
        #expect(content.contains("public static let httpRoutes: [HTTPRoute] = methodSchemas.flatMap(\\.httpRoutes)"))
        #expect(content.contains("public static let schema = RPCServiceSchema(name: name, methods: methodSchemas)"))
    }

    @Test("services=<Name> adds one enum listing every service of the generated files")
    func serviceList() throws {
        var request = SampleModel.request
        request.parameter = "services=DemoServices," + request.parameter
        let files = try Generator.generate(request)
        let list = try #require(files.first { $0.name == "demo/v1/DemoServices.swift" })
        #expect(list.content.contains("public enum DemoServices"))
        #expect(list.content.contains("public static let all: [RPCServiceSchema] = [\n        SongService.schema,\n    ]"))
        #expect(try Generator.generate(SampleModel.request).count == 1)
    }

    @Test("creations answer 201: POST of Create<Thing> and Register; everything else 200", arguments: [
        ("CreatePlaylist", "POST", 201), ("Register", "POST", 201), ("CreatePlaylist", "PUT", 200),
        ("Createx", "POST", 200), ("Create", "POST", 200), ("GetTrack", "POST", 200), ("AddTracks", "POST", 200),
    ])
    func successStatus(method: String, httpMethod: String, status: Int) {
        #expect(HTTPSuccessStatus.forMethod(method, httpMethod: httpMethod) == status)
    }

    @Test("the route of a creation states its 201")
    func createdRoute() throws {
        var request = SampleModel.request
        request.files[1].services[0].methods.append(
            MethodModel(name: "CreateSong", inputType: "demo.v1.Song", outputType: "demo.v1.Song",
                        http: HTTPRuleModel(method: "POST", path: "/v1/songs", body: "*")))
        let content = try #require(try Generator.generate(request).first?.content)
        #expect(content.contains("rpc: Method.createSong, successStatus: 201),"))
        #expect(!content.contains("rpc: Method.getSong, successStatus"))
    }
}
