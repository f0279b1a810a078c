import AudoticsHTTPServer
import Synchronization

/// The test handler: echoes the body and describes the request in `x-` fields. `/slow?ms=N` answers after N ms
/// (recording starts and cancellations), `/close` answers with `connection: close`, `/status/N` with status N,
/// `/big?bytes=N` with N bytes.
final class EchoHandler: HTTPServerHandler {
    let started = Atomic<Int>(0)
    let cancelled = Atomic<Int>(0)

    func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        var headers: [(name: String, value: String)] = [
            ("x-method", request.method), ("x-target", request.target), ("x-version", request.version.description),
            ("x-secure", String(request.isSecure)), ("x-remote", request.remoteAddress),
            ("x-host", request.header("HOST") ?? "-"), ("x-body-length", String(request.body.count)),
            ("x-header-count", String(request.headers.count)),
        ]
        if let cookie = request.header("cookie") { headers.append(("x-cookie", cookie)) }
        let path = request.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.target
        let query = request.target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let number = query.split(separator: "=").last.flatMap { Int($0) } ?? 0
        switch path {
        case "/slow":
            started.add(1, ordering: .sequentiallyConsistent)
            do {
                try await Task.sleep(for: .milliseconds(number))
            } catch {
                cancelled.add(1, ordering: .sequentiallyConsistent)
            }
        case "/close":
            headers.append(("Connection", "close"))
        case _ where path.hasPrefix("/status/"):
            return HTTPServerResponse(status: Int(path.dropFirst(8)) ?? 500, headers: headers, body: request.body)
        case "/big":
            return HTTPServerResponse(status: 200, headers: headers, body: [UInt8](repeating: UInt8(ascii: "b"), count: number))
        case "/evil":
            headers.append(("x-evil", "a\r\nset-cookie: injected=1"))
            headers.append(("bad name", "x"))
            headers.append(("content-length", "999"))
        default:
            break
        }
        return HTTPServerResponse(status: 200, headers: headers, body: request.body)
    }
}
