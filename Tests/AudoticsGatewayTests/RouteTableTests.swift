import AudoticsAPI
import AudoticsGateway
import AudoticsRPC
import Testing

@Suite("The gateway's route table, from the generated schemas")
struct RouteTableTests {
    let table: RouteTable

    init() throws {
        table = try RouteTable(services: AudoticsV1Services.all)
    }

    func matched(_ method: String, _ path: String) -> RouteTable.Match? {
        if case .matched(let match) = table.route(method: method, path: path) { return match }
        return nil
    }

    @Test("every annotated route of every service is reachable with its own method")
    func everyRoute() throws {
        for service in AudoticsV1Services.all {
            for method in service.methods {
                for route in method.httpRoutes {
                    // Fill each variable with a sample value.
                    var path = ""
                    var inVariable = false
                    for character in route.pathTemplate {
                        if character == "{" { inVariable = true; path += "x1"; continue }
                        if character == "}" { inVariable = false; continue }
                        if !inVariable { path.append(character) }
                    }
                    let match = try #require(matched(route.method, path), "\(route.method) \(path)")
                    #expect(match.method.descriptor == method.descriptor, "\(route.method) \(path)")
                }
            }
        }
    }

    @Test("GetTrack's path variable fills track_id; HEAD routes as GET")
    func getTrack() throws {
        let match = try #require(matched("GET", "/v1/tracks/tr_42"))
        #expect(match.method.descriptor == MusicService.Method.getTrack)
        #expect(match.pathValues.map(\.fieldPath) == [["track_id"]])
        #expect(match.pathValues.map(\.value) == ["tr_42"])
        #expect(matched("HEAD", "/v1/tracks/tr_42")?.method.descriptor == MusicService.Method.getTrack)
        // The verb routes win over the variable route for the same prefix.
        #expect(matched("GET", "/v1/tracks:search")?.method.descriptor == MusicService.Method.searchTracks)
    }

    @Test("a path variable that is not valid percent-encoded UTF-8 names its field; an encoded slash stays in the segment")
    func undecodable() throws {
        guard case .undecodablePath(let field) = table.route(method: "GET", path: "/v1/tracks/%E2%82") else {
            Issue.record("expected undecodablePath")
            return
        }
        #expect(field == "track_id")
        guard case .undecodablePath = table.route(method: "GET", path: "/v1/tracks/%zz") else {
            Issue.record("expected undecodablePath for a bad escape")
            return
        }
        #expect(matched("GET", "/v1/tracks/a%2Fb")?.pathValues.map(\.value) == ["a/b"])
        // Another method on the same shape is still 405, whatever the segment holds.
        guard case .methodNotAllowed = table.route(method: "PUT", path: "/v1/tracks/%E2%82") else {
            Issue.record("expected methodNotAllowed")
            return
        }
    }

    @Test("unknown paths are 404, known paths with another method 405 with the allowed methods")
    func errors() {
        guard case .notFound = table.route(method: "GET", path: "/v1/nothing") else {
            Issue.record("expected notFound")
            return
        }
        guard case .methodNotAllowed(let allowed) = table.route(method: "DELETE", path: "/v1/tracks/tr_1") else {
            Issue.record("expected methodNotAllowed")
            return
        }
        #expect(allowed == ["GET", "HEAD"])
    }

    @Test("every unary method is also POST /<service>/<method>, with the whole body as the request")
    func genericRoutes() throws {
        let match = try #require(matched("POST", "/audotics.v1.MusicService/GetTrack"))
        #expect(match.method.descriptor == MusicService.Method.getTrack)
        #expect(match.body == "*")
        guard case .methodNotAllowed(let allowed) = table.route(method: "GET", path: "/audotics.v1.MusicService/GetTrack") else {
            Issue.record("expected methodNotAllowed")
            return
        }
        #expect(allowed == ["POST"])
    }

    @Test("creations answer 201")
    func created() throws {
        let create = try #require(matched("POST", "/v1/playlists"))
        #expect(create.successStatus == 201)
        #expect(matched("GET", "/v1/tracks/x")?.successStatus == 200)
    }

    @Test("query strings decode escapes and +, keep order and repeats, and refuse bad escapes")
    func queryStrings() throws {
        let query = try QueryString("a.b=1&ids=x&ids=y%20z&q=hello+world&flag")
        #expect(query.parameters.map(\.name) == ["a.b", "ids", "ids", "q", "flag"])
        #expect(query.parameters.map(\.value) == ["1", "x", "y z", "hello world", ""])
        #expect(throws: GatewayError.self) { try QueryString("a=%G1") }
        #expect(throws: GatewayError.self) { try QueryString("=1") }
    }
}
