import AudoticsGateway
import Testing

@Suite("Path templates (HttpRule)")
struct PathTemplateTests {
    func values(_ template: String, _ path: String) throws -> [String: String]? {
        try PathTemplate(template).match(path: path).map { matched in
            Dictionary(uniqueKeysWithValues: matched.map { ($0.fieldPath.joined(separator: "."), $0.value) })
        }
    }

    @Test("literals and one-segment variables")
    func simple() throws {
        #expect(try values("/v1/tracks/{track_id}", "/v1/tracks/tr_1") == ["track_id": "tr_1"])
        #expect(try values("/v1/tracks/{track_id}", "/v1/tracks/tr_1/x") == nil)
        #expect(try values("/v1/tracks/{track_id}", "/v1/tracks/") == nil)
        #expect(try values("/v1/tracks/{track_id}", "/v1/albums/tr_1") == nil)
        #expect(try values("/v1/me", "/v1/me") == [:])
        #expect(try values("/v1/me", "/v1/me/") == nil)
    }

    @Test("custom verbs")
    func verbs() throws {
        #expect(try values("/v1/tracks:search", "/v1/tracks:search") == [:])
        #expect(try values("/v1/tracks:search", "/v1/tracks") == nil)
        #expect(try values("/v1/tracks:search", "/v1/tracks:batchGet") == nil)
        #expect(try values("/v1/playlists/{playlist_id}:reorder", "/v1/playlists/pl_1:reorder") == ["playlist_id": "pl_1"])
        // Without a verb in the template, a colon is part of the segment.
        #expect(try values("/v1/tracks/{track_id}", "/v1/tracks/a:b") == ["track_id": "a:b"])
    }

    @Test("one-segment variables are fully percent-decoded; multi-segment ones keep %2F")
    func decoding() throws {
        #expect(try values("/v1/tracks/{track_id}", "/v1/tracks/caf%C3%A9%20x") == ["track_id": "café x"])
        #expect(try values("/v1/tracks/{track_id}", "/v1/tracks/a%2Fb") == ["track_id": "a/b"])
        #expect(try values("/v1/{name=shelves/*/books/*}", "/v1/shelves/s%2F1/books/b%201") == ["name": "shelves/s%2F1/books/b 1"])
        #expect(try values("/v1/tracks/{track_id}", "/v1/tracks/%zz") == nil)
        #expect(try values("/v1/tracks/{track_id}", "/v1/tracks/%FF") == nil, "not UTF-8")
        #expect(try values("/v1/%74racks/{id}", "/v1/tracks/1") == nil, "literals in templates are not decoded")
        #expect(try values("/v1/tracks/{id}", "/v1/%74racks/1") == ["id": "1"], "literal path segments are decoded")
    }

    @Test("** and nested field paths")
    func rest() throws {
        #expect(try values("/v1/{name=files/**}", "/v1/files/a/b/c") == ["name": "files/a/b/c"])
        #expect(try values("/v1/{name=files/**}", "/v1/files") == ["name": "files"])
        #expect(try values("/v1/{a.b.c}/x", "/v1/1/x") == ["a.b.c": "1"])
        #expect(try values("/v1/*/{id}", "/v1/any/7") == ["id": "7"])
    }

    @Test("malformed templates are refused when the table is built")
    func malformed() {
        for template in ["v1/x", "/v1/{id", "/v1/{}", "/v1/{a}/{a}", "/v1/**/x", "/v1//x", "/v1/{a={b}}", "/v1/x:"] {
            #expect(throws: GatewayConfigurationError.self, "\(template)") { try PathTemplate(template) }
        }
    }
}
