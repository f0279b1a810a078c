import AudoticsGateway
import Foundation
import Testing

@Suite("Static files from a folder")
struct StaticFilesTests {
    let folder: String
    let gateway: Gateway

    init() throws {
        folder = NSTemporaryDirectory() + "audotics-static-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder + "/assets", withIntermediateDirectories: true)
        try Data("<!doctype html><title>Audotics</title>".utf8).write(to: URL(fileURLWithPath: folder + "/index.html"))
        try Data("console.log('hi')".utf8).write(to: URL(fileURLWithPath: folder + "/assets/app.js"))
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: folder + "/assets/logo.png"))
        try Data("secret".utf8).write(to: URL(fileURLWithPath: folder + "/.env"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/passwd", withDestinationPath: "/etc/passwd")
        gateway = try Gateway(services: [], backends: [:], staticFiles: StaticFiles(folder: folder))
    }

    func get(_ target: String, method: String = "GET", headers: [(name: String, value: String)] = []) async -> GatewayResponse {
        await gateway.handle(GatewayRequest(method: method, target: target, headers: headers))
    }

    @Test("files with content types, index.html for folders, ETags and 304s, caching headers")
    func serving() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = await get("/")
        #expect(index.status == 200 && index.header("content-type") == "text/html; charset=utf-8")
        #expect(String(decoding: index.body, as: UTF8.self).contains("Audotics"))
        #expect(index.header("cache-control") == "no-cache")
        #expect(index.header("content-security-policy")?.contains("default-src 'self'") == true)
        let script = await get("/assets/app.js")
        #expect(script.status == 200 && script.header("content-type") == "text/javascript; charset=utf-8")
        #expect(script.header("cache-control") == "public, max-age=300")
        let etag = try #require(script.header("etag"))
        let again = await get("/assets/app.js", headers: [("if-none-match", etag)])
        #expect(again.status == 304 && again.body.isEmpty)
        #expect(await get("/assets/app.js", headers: [("if-none-match", "\"other\"")]).status == 200)
        // Weak comparison, and lists: a proxy may have weakened the tag.
        #expect(await get("/assets/app.js", headers: [("if-none-match", "\"other\", W/\(etag)")]).status == 304)
        #expect(await get("/assets/logo.png").header("content-type") == "image/png")
        #expect(await get("/assets%2Fapp.js").status == 404, "an encoded slash is not a separator")
        #expect(await get("/assets/app.js", method: "HEAD").status == 200)
    }

    @Test("nothing outside the folder, no hidden files, no other methods")
    func confinement() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for target in ["/../etc/passwd", "/%2e%2e/etc/passwd", "/assets/../../etc/passwd", "/passwd", "/.env", "/nothing.js"] {
            let response = await get(target)
            #expect(response.status == 404, "\(target)")
            #expect(!String(decoding: response.body, as: UTF8.self).contains("root:"), "\(target)")
        }
        #expect(await get("/assets/app.js", method: "POST").status == 404)
    }
}
