import AudoticsHTTPServer
import Foundation
import Synchronization

/// The test handler: echoes the body and describes the request in `x-` fields. `/slow?ms=N` answers after N ms
/// (recording starts, cancellations, how many run at once, and `log` lines `begin|end <method> <target>`), `/close` answers with `connection: close`, `/status/N` with status N,
/// `/big?bytes=N` with N bytes.
///
/// `taskFree` takes every request through `start` instead of a task: `/slow` then answers from a timer on the
/// connection's loop (cancelled with the request), and `/later?ms=N` from another thread after N ms.
final class EchoHandler: HTTPServerHandler {
    let started = Atomic<Int>(0)
    let cancelled = Atomic<Int>(0)
    /// `/slow` requests running now, and the most at once.
    let running = Atomic<Int>(0)
    let mostRunning = Atomic<Int>(0)
    let log = Mutex<[String]>([])
    let taskFree: Bool

    init(taskFree: Bool = false) {
        self.taskFree = taskFree
    }

    func start(_ request: HTTPServerRequest, responder: HTTPServerResponder) -> HTTPServerStart {
        guard taskFree else { return .declined }
        let (path, number) = Self.pathAndNumber(request.target)
        switch path {
        case "/slow":
            began(request)
            let response = answer(request, path: "/", number: 0)
            let timer = responder.eventLoop.scheduleTask(in: .milliseconds(Int64(number))) {
                self.ended(request)
                responder.respond(response)
            }
            return .started(onCancel: {
                timer.cancel()
                self.ended(request)
                self.cancelled.add(1, ordering: .sequentiallyConsistent)
            })
        case "/later":
            let response = answer(request, path: "/", number: 0)
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: Double(number) / 1000)
                responder.respond(response)
            }
            return .started(onCancel: nil)
        default:
            responder.respond(answer(request, path: path, number: number))
            return .started(onCancel: nil)
        }
    }

    static func pathAndNumber(_ target: String) -> (path: String, number: Int) {
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
        let query = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        return (path, query.split(separator: "=").last.flatMap { Int($0) } ?? 0)
    }

    func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        let (path, number) = Self.pathAndNumber(request.target)
        if path == "/slow" {
            began(request)
            do {
                try await Task.sleep(for: .milliseconds(number))
            } catch {
                cancelled.add(1, ordering: .sequentiallyConsistent)
            }
            ended(request)
        }
        return answer(request, path: path, number: number)
    }

    private func began(_ request: HTTPServerRequest) {
        started.add(1, ordering: .sequentiallyConsistent)
        let now = running.add(1, ordering: .sequentiallyConsistent).newValue
        _ = mostRunning.max(now, ordering: .sequentiallyConsistent)
        log.withLock { $0.append("begin \(request.method) \(request.target)") }
    }

    private func ended(_ request: HTTPServerRequest) {
        _ = running.subtract(1, ordering: .sequentiallyConsistent)
        log.withLock { $0.append("end \(request.method) \(request.target)") }
    }

    private func answer(_ request: HTTPServerRequest, path: String, number: Int) -> HTTPServerResponse {
        var headers: [(name: String, value: String)] = [
            ("x-method", request.method), ("x-target", request.target), ("x-version", request.version.description),
            ("x-secure", String(request.isSecure)), ("x-remote", request.remoteAddress),
            ("x-host", request.header("HOST") ?? "-"), ("x-body-length", String(request.body.count)),
            ("x-header-count", String(request.headers.count)),
        ]
        if let cookie = request.header("cookie") { headers.append(("x-cookie", cookie)) }
        switch path {
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
