@testable import AudoticsCodeGen
import Testing

/// Path templates, proto comments, JSON text and the Swift embedding, each on its own.
@Suite("OpenAPI building blocks")
struct OpenAPIBuildingBlockTests {
    @Test("path templates: {field}, dotted fields, {field=segments}, verbs", arguments: [
        ("/v1/tracks/{track_id}", "/v1/tracks/{track_id}", ["track_id"], [false]),
        ("/v1/{book.name}:publish", "/v1/{book.name}:publish", ["book.name"], [false]),
        ("/v1/{name=shelves/*/books/**}", "/v1/{name}", ["name"], [true]),
        ("/v1/{name=*}/x", "/v1/{name}/x", ["name"], [false]),
        ("/v1/tracks:batchGet", "/v1/tracks:batchGet", [], []),
    ])
    func templates(template: String, path: String, names: [String], multi: [Bool]) throws {
        let parsed = try PathTemplate(template)
        #expect(parsed.openAPIPath == path)
        #expect(parsed.variables.map(\.name) == names)
        #expect(parsed.variables.map(\.isMultiSegment) == multi)
    }

    @Test("bad templates are refused", arguments: ["v1/x", "/v1/*/x", "/v1/{a", "/v1/{a}/{a}", "/v1/{1a}", "/v1/a}"])
    func badTemplates(template: String) {
        #expect(throws: CodeGenError.self) { try PathTemplate(template) }
    }

    @Test("comments: text, first sentence, Auth: none, and the codes of the Errors sentence")
    func comments() {
        let comment = ProtoComment(
            " Creates an account and signs it in. Then more.\n\n Auth: none. Errors: INVALID_ARGUMENT (bad email, weak\n"
                + " password), ALREADY_EXISTS (the email is registered). Not NOT_FOUND.\n")
        #expect(comment.summary == "Creates an account and signs it in.")
        #expect(comment.text.hasPrefix("Creates an account") && comment.text.contains("\n\nAuth: none."))
        #expect(comment.saysNoAuth)
        #expect(comment.errorCodes == ["INVALID_ARGUMENT", "ALREADY_EXISTS"])
        #expect(!ProtoComment(" Auth: access token.\n").saysNoAuth)
        #expect(ProtoComment(" Errors: none expected.\n").errorCodes.isEmpty)
        #expect(ProtoComment("").isEmpty)
        #expect(ProtoComment(" Lists tracks, e.g. by genre. More.\n").summary == "Lists tracks, e.g. by genre.")
        #expect(ProtoComment(" No full stop\n second line\n\n Other paragraph.\n").summary == "No full stop second line")
    }

    @Test("JSON text: members in insertion order, escapes, empty containers")
    func jsonText() {
        let value: JSONValue = ["b": 1, "a": ["x\"\\\n\u{1}é", true, .null], "e": [:], "f": []]
        #expect(value.formatted() == """
            {
              "b": 1,
              "a": [
                "x\\"\\\\\\n\\u0001é",
                true,
                null
              ],
              "e": {},
              "f": []
            }

            """)
        var object: JSONObject = ["z": 1, "y": 2]
        object["z"] = 3
        object["y"] = nil
        object["a"] = 4
        #expect(object.keys == ["z", "a"])
        #expect(object.sortedByKey().keys == ["a", "z"])
    }

    @Test("the Swift embedding uses enough #s that the text cannot end it")
    func rawLiteral() {
        #expect(OpenAPIRenderer.rawLiteral("{}\n") == "#\"\"\"\n{}\n\n\"\"\"#")
        #expect(OpenAPIRenderer.rawLiteral("\"#/a\"\n").hasPrefix("##\"\"\""))
        #expect(OpenAPIRenderer.rawLiteral("\"##\\#\n").hasPrefix("###\"\"\""))
    }

    @Test("an unannotated unary method gets POST /<package>.<Service>/<Method>; streaming ones get none")
    func rpcStyleRoutes() throws {
        var request = SampleModel.request
        request.parameter = "mode=openapi," + request.parameter
        request.files[1].services[0].methods.append(MethodModel(name: "Ping", inputType: "demo.v1.Empty", outputType: "demo.v1.Empty"))
        request.files[1].services[0].methods[0].http?.additionalBindings = []  // Song has no album_id to bind.
        let json = try #require(try Generator.generate(request).first { $0.name == "openapi.json" }?.content)
        #expect(json.contains("\"/demo.v1.SongService/Ping\": {\n      \"post\": {\n        \"operationId\": \"SongService_Ping\""))
        #expect(!json.contains("SongService/Upload") && !json.contains("SongService/Watch"))
        #expect(!json.contains("/v1/songs:chat"), "a streaming method has no JSON route, annotated or not")
        #expect(json.contains("Methods without an HTTP annotation are served as"))
    }
}
