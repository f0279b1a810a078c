import AudoticsTLS
import Foundation

/// The web app's files, served by the gateway for paths no API route takes: `GET`/`HEAD`, a content type by
/// extension, a strong `ETag` (a hash of the content) with `If-None-Match` → 304, and caching headers
/// (`index.html` revalidated on every use, other files cached for `maxAge`).
///
/// The folder is read once when the gateway starts (files up to `maxTotalBytes` in all), so requests never touch
/// the disk and never block; restart the gateway to publish a new build. Paths are matched against the files
/// found, so `..`, encoded slashes or symlinks out of the folder can never reach anything else.
public struct StaticFiles: Sendable {
    struct File: Sendable {
        var body: [UInt8]
        var contentType: String
        var etag: String
    }

    /// The largest total size loaded (default 64 MiB).
    public static let defaultMaxTotalBytes = 64 * 1024 * 1024
    let files: [String: File]
    /// How long browsers may cache files other than `index.html`.
    let maxAge: Int

    /// Loads every regular file under `folder` (hidden files excluded).
    ///
    /// - Throws: `GatewayConfigurationError` when the folder cannot be read or holds more than `maxTotalBytes`.
    public init(folder: String, maxAge: Duration = .seconds(300), maxTotalBytes: Int = StaticFiles.defaultMaxTotalBytes) throws(GatewayConfigurationError) {
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { throw GatewayConfigurationError(message: "static files: cannot read \(folder)") }
        var files: [String: File] = [:]
        var total = 0
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator {
            let resolved = url.resolvingSymlinksInPath()
            // Only regular files inside the folder (a symlink pointing out of it is skipped).
            guard (try? resolved.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                resolved.path.hasPrefix(rootPath), let data = FileManager.default.contents(atPath: resolved.path)
            else { continue }
            total += data.count
            guard total <= maxTotalBytes else {
                throw GatewayConfigurationError(message: "static files: \(folder) holds more than \(maxTotalBytes) bytes")
            }
            let relative = String(url.standardizedFileURL.path.dropFirst(rootPath.count))
            let body = [UInt8](data)
            files["/" + relative] = File(body: body, contentType: Self.contentType(of: relative), etag: Self.etag(body))
        }
        self.files = files
        self.maxAge = Int(maxAge.components.seconds)
    }

    /// The response for `path` (percent-encoded, from the request target), or nil when no file matches.
    func response(method: String, path: Substring, ifNoneMatch: String?) -> GatewayResponse? {
        guard method == "GET" || method == "HEAD", let decoded = PercentDecoding.decode(path, keepingSlashes: true) else { return nil }
        let key = decoded.hasSuffix("/") ? decoded + "index.html" : decoded
        guard let file = files[key] ?? files[key + "/index.html"] else { return nil }
        let isIndex = key.hasSuffix("index.html") || files[key] == nil
        var headers: [(name: String, value: String)] = [
            ("etag", file.etag),
            ("cache-control", isIndex ? "no-cache" : "public, max-age=\(maxAge)"),
        ]
        // If-None-Match compares weakly (RFC 9110 §13.1.2): `W/"x"` matches `"x"`.
        func opaque(_ tag: Substring) -> Substring { tag.hasPrefix("W/") ? tag.dropFirst(2) : tag }
        if let ifNoneMatch, ifNoneMatch.split(separator: ",").contains(where: {
            let tag = $0.trimmingSpaces()
            return tag == "*" || opaque(tag) == opaque(Substring(file.etag))
        }) {
            return GatewayResponse(status: 304, headers: headers)
        }
        headers.insert(("content-type", file.contentType), at: 0)
        return GatewayResponse(status: 200, headers: headers, body: file.body)
    }

    /// The number of files served.
    public var count: Int { files.count }

    static func contentType(of path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json", "map": return "application/json"
        case "webmanifest": return "application/manifest+json"
        case "txt": return "text/plain; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "avif": return "image/avif"
        case "ico": return "image/x-icon"
        case "woff": return "font/woff"
        case "woff2": return "font/woff2"
        case "wasm": return "application/wasm"
        case "mp3": return "audio/mpeg"
        case "ogg": return "audio/ogg"
        case "xml": return "application/xml"
        default: return "application/octet-stream"
        }
    }

    /// A strong ETag: the first 16 bytes of the content's SHA-256, in hex and quotes.
    static func etag(_ body: [UInt8]) -> String {
        let digest = (try? SHA256.hash(body)) ?? []
        return "\"" + RequestID.hex(digest.prefix(16)) + "-" + String(body.count, radix: 16) + "\""
    }
}
