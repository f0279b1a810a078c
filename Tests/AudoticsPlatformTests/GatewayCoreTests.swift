import AudoticsAPI
import AudoticsGateway
import AudoticsRPC
import AudoticsRedisClient
import Foundation
import Testing

/// The gateway's core (routing, transcoding, errors) in front of the real services over the TLS fabric; the HTTP
/// front ends are tested on their own.
@Suite("Gateway core (end to end)", .serialized)
struct GatewayCoreTests {
    struct Reply {
        var status: Int
        var headers: [(name: String, value: String)]
        var json: [String: Any]

        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    }

    static func makeGateway(_ platform: PlatformHarness, rateLimits: GatewayRateLimits = .init()) throws -> Gateway {
        let backends = Dictionary(uniqueKeysWithValues: AudoticsV1Services.all.map { ($0.name, platform.channel as any ClientTransport) })
        return try Gateway(
            services: AudoticsV1Services.all.filter { ["audotics.v1.UserService", "audotics.v1.MusicService", "audotics.v1.PlaylistService"].contains($0.name) },
            backends: backends, builtIns: BuiltInEndpoints(openAPIDocument: Array(OpenAPIDocument.json.utf8)), rateLimits: rateLimits)
    }

    static func send(
        _ gateway: Gateway, _ method: String, _ target: String, token: String? = nil, json: String? = nil,
        headers: [(name: String, value: String)] = []
    ) async throws -> Reply {
        var all = headers
        if let token { all.append(("authorization", "Bearer \(token)")) }
        if json != nil, !all.contains(where: { $0.name == "content-type" }) { all.append(("content-type", "application/json")) }
        let response = await gateway.handle(GatewayRequest(
            method: method, target: target, headers: all, body: Array((json ?? "").utf8), remoteAddress: "127.0.0.1:5000"))
        let object = response.body.isEmpty ? [:] : try #require(
            try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], "\(String(decoding: response.body, as: UTF8.self))")
        return Reply(status: response.status, headers: response.headers, json: object)
    }

    @Test("register, read tracks, search, and build a playlist through JSON routes")
    func happyPath() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let gateway = try Self.makeGateway(platform)
        let registered = try await Self.send(gateway, "POST", "/v1/users:register", json: #"{"email": "edge@example.org", "password": "correct horse battery"}"#)
        #expect(registered.status == 201)
        let token = try #require((registered.json["tokens"] as? [String: Any])?["accessToken"] as? String)

        let expected = platform.catalog.tracks[42]
        let track = try await Self.send(gateway, "GET", "/v1/tracks/\(expected.id)", token: token)
        #expect(track.status == 200)
        #expect(track.json["id"] as? String == expected.id)
        #expect(track.json["title"] as? String == expected.title)
        #expect(track.json["durationMs"] as? Int == expected.durationMs)
        #expect(track.header("content-type") == "application/json")
        #expect(track.header("x-request-id")?.count == 32)

        // The same RPC through the generic route, with the request as the body.
        let generic = try await Self.send(gateway, "POST", "/audotics.v1.MusicService/GetTrack", token: token, json: "{\"trackId\": \"\(expected.id)\"}")
        #expect(generic.status == 200 && generic.json["id"] as? String == expected.id)

        // Query parameters: repeated fields and lowerCamelCase or proto names.
        let ids = [platform.catalog.tracks[1].id, "tr_missing", platform.catalog.tracks[2].id]
        let batch = try await Self.send(gateway, "GET", "/v1/tracks:batchGet?trackIds=\(ids[0])&track_ids=\(ids[1])&trackIds=\(ids[2])", token: token)
        #expect(batch.status == 200)
        #expect((batch.json["tracks"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[0], ids[2]])
        #expect(batch.json["missingIds"] as? [String] == ["tr_missing"])
        let word = String(expected.title.split(separator: " ")[0])
        let search = try await Self.send(gateway, "GET", "/v1/tracks:search?query=\(word.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&pageSize=5", token: token)
        #expect(search.status == 200)
        #expect(((search.json["tracks"] as? [[String: Any]])?.count ?? 0) > 0)

        let created = try await Self.send(gateway, "POST", "/v1/playlists", token: token, json: #"{"name": "Edge mix", "description": "from JSON"}"#)
        #expect(created.status == 201)
        let playlistID = try #require((created.json["playlist"] as? [String: Any])?["id"] as? String)
        let snapshot = try #require(created.json["snapshotId"] as? String)
        let added = try await Self.send(
            gateway, "POST", "/v1/playlists/\(playlistID)/tracks", token: token,
            json: "{\"trackIds\": [\"\(expected.id)\"], \"expectedSnapshotId\": \"\(snapshot)\"}")
        #expect(added.status == 200)
        // A stale snapshot: ABORTED is 409.
        let stale = try await Self.send(
            gateway, "POST", "/v1/playlists/\(playlistID)/tracks", token: token,
            json: "{\"trackIds\": [\"\(expected.id)\"], \"expectedSnapshotId\": \"\(snapshot)\"}")
        #expect(stale.status == 409 && stale.json["code"] as? Int == 10)
        let fetched = try await Self.send(gateway, "GET", "/v1/playlists/\(playlistID)", token: token)
        #expect(fetched.status == 200)
        #expect(((fetched.json["playlist"] as? [String: Any])?["name"]) as? String == "Edge mix")
        let deleted = try await Self.send(gateway, "DELETE", "/v1/playlists/\(playlistID)", token: token)
        #expect(deleted.status == 200)
        let gone = try await Self.send(gateway, "GET", "/v1/playlists/\(playlistID)", token: token)
        #expect(gone.status == 404 && gone.json["code"] as? Int == 5)
        await platform.stop()
    }

    @Test("errors: JSON google.rpc.Status bodies with the right HTTP status, details and headers")
    func errors() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let gateway = try Self.makeGateway(platform)
        let registered = try await Self.send(gateway, "POST", "/v1/users:register", json: #"{"email": "errors@example.org", "password": "correct horse battery"}"#)
        let token = try #require((registered.json["tokens"] as? [String: Any])?["accessToken"] as? String)
        let track = platform.catalog.tracks[0].id

        let anonymous = try await Self.send(gateway, "GET", "/v1/tracks/\(track)")
        #expect(anonymous.status == 401 && anonymous.json["code"] as? Int == 16)
        #expect(anonymous.header("www-authenticate") == "Bearer")
        let badToken = try await Self.send(gateway, "GET", "/v1/tracks/\(track)", token: "not.a.jwt")
        #expect(badToken.status == 401)

        let unknownField = try await Self.send(gateway, "POST", "/v1/playlists", token: token, json: #"{"name": "x", "colour": "red"}"#)
        #expect(unknownField.status == 400 && (unknownField.json["message"] as? String)?.contains("colour") == true)
        let wrongType = try await Self.send(gateway, "POST", "/v1/playlists", token: token, json: #"{"name": 42}"#)
        #expect(wrongType.status == 400 && (wrongType.json["message"] as? String)?.contains("name") == true)
        let malformed = try await Self.send(gateway, "POST", "/v1/playlists", token: token, json: #"{"name": "x""#)
        #expect(malformed.status == 400 && malformed.json["code"] as? Int == 3)
        let notJSON = try await Self.send(
            gateway, "POST", "/v1/playlists", token: token, json: "name=x", headers: [("content-type", "application/x-www-form-urlencoded")])
        #expect(notJSON.status == 415)

        // A field violation from the service keeps its google.rpc.BadRequest detail.
        let invalid = try await Self.send(gateway, "POST", "/v1/playlists", token: token, json: #"{"name": ""}"#)
        #expect(invalid.status == 400)
        let details = try #require(invalid.json["details"] as? [[String: Any]])
        #expect(details.first?["@type"] as? String == "type.googleapis.com/google.rpc.BadRequest")
        #expect(((details.first?["fieldViolations"] as? [[String: Any]])?.first?["field"] as? String) == "name")

        let unknownQuery = try await Self.send(gateway, "GET", "/v1/tracks:search?query=a&colour=red", token: token)
        #expect(unknownQuery.status == 400 && (unknownQuery.json["message"] as? String)?.contains("colour") == true)
        let badNumber = try await Self.send(gateway, "GET", "/v1/tracks:search?query=a&pageSize=lots", token: token)
        #expect(badNumber.status == 400)
        let boundTwice = try await Self.send(gateway, "GET", "/v1/tracks/\(track)?trackId=other", token: token)
        #expect(boundTwice.status == 400)

        let notFound = try await Self.send(gateway, "GET", "/v2/nothing")
        #expect(notFound.status == 404 && notFound.json["code"] as? Int == 5)
        let notAllowed = try await Self.send(gateway, "PUT", "/v1/tracks/\(track)")
        #expect(notAllowed.status == 405 && notAllowed.header("allow") == "GET, HEAD")
        let badTimeout = try await Self.send(gateway, "GET", "/v1/tracks/\(track)", token: token, headers: [("grpc-timeout", "soon")])
        #expect(badTimeout.status == 400)
        let escaped = try await Self.send(gateway, "GET", "/v1/tracks/tr%2F..%2Fx", token: token)
        #expect(escaped.status == 404 || escaped.status == 400)

        // The client's request ID comes back.
        let withID = try await Self.send(gateway, "GET", "/v1/tracks/\(track)", token: token, headers: [("x-request-id", "client-id-1")])
        #expect(withID.header("x-request-id") == "client-id-1")
        await platform.stop()
    }

    @Test("healthz, readyz and the OpenAPI document")
    func builtIns() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let gateway = try Self.makeGateway(platform)
        #expect(try await Self.send(gateway, "GET", "/healthz").json["status"] as? String == "ok")
        let document = try await Self.send(gateway, "GET", "/openapi.json")
        #expect(document.status == 200 && (document.json["openapi"] as? String)?.hasPrefix("3.1") == true)
        #expect(try await Self.send(gateway, "POST", "/healthz").status == 405)
        await platform.stop()
    }

    @Test("rate limits per address and per user: 429 with Retry-After and RateLimit headers")
    func rateLimits() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let slow = TokenBucketPolicy(capacity: 3, refillPerSecond: 0.01)
        let limits = GatewayRateLimits(
            perAddress: RedisRateLimiter(client: platform.redis, namespace: platform.redisNamespace + ":gw-address", policy: slow),
            perUser: RedisRateLimiter(client: platform.redis, namespace: platform.redisNamespace + ":gw-user",
                                      policy: TokenBucketPolicy(capacity: 2, refillPerSecond: 0.01)))
        let gateway = try Self.makeGateway(platform, rateLimits: limits)
        func get(_ address: String, token: String? = nil) async -> GatewayResponse {
            var headers: [(name: String, value: String)] = []
            if let token { headers.append(("authorization", "Bearer \(token)")) }
            return await gateway.handle(GatewayRequest(method: "GET", target: "/v1/tracks/tr_x", headers: headers, remoteAddress: address))
        }
        var statuses: [Int] = []
        for _ in 0..<4 { statuses.append(await get("10.0.0.1:1000").status) }
        #expect(statuses == [401, 401, 401, 429])
        let limited = await get("10.0.0.1:1001")
        #expect(limited.status == 429 && limited.header("retry-after").flatMap(Int.init).map { $0 >= 1 } == true)
        #expect(limited.header("ratelimit-remaining") == "0" && limited.header("ratelimit-limit") == "3")
        // Another address has its own bucket; a token adds the user's (tighter) bucket, whatever the address.
        let other = await get("10.0.0.2:1000", token: "token-a")
        #expect(other.status == 401 && other.header("ratelimit-remaining") == "1" && other.header("ratelimit-limit") == "2")
        #expect(await get("10.0.0.3:1000", token: "token-a").status == 401)
        #expect(await get("10.0.0.4:1000", token: "token-a").status == 429)
        #expect(await get("10.0.0.4:1000", token: "token-b").status == 401)
        await platform.stop()
    }
}
