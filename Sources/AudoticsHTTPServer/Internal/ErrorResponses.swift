/// The responses the server itself sends (limits, timeouts, bad requests): JSON `google.rpc.Status` bodies,
/// like every other error of the gateway.
enum ErrorResponses {
    /// 400: the request could not be parsed (INVALID_ARGUMENT).
    static func badRequest(_ message: String = "the request is malformed") -> HTTPServerResponse {
        status(400, code: 3, message)
    }

    /// 408: the head or body did not arrive in time (DEADLINE_EXCEEDED).
    static func requestTimeout(_ message: String) -> HTTPServerResponse {
        status(408, code: 4, message)
    }

    /// 413: the body is above the limit (RESOURCE_EXHAUSTED).
    static func bodyTooLarge(limit: Int) -> HTTPServerResponse {
        status(413, code: 8, "request body exceeds \(limit) bytes")
    }

    /// 417: an `Expect` other than `100-continue` (FAILED_PRECONDITION).
    static func expectationFailed() -> HTTPServerResponse {
        status(417, code: 9, "only 'Expect: 100-continue' is supported")
    }

    /// 431: the head is above the limit (RESOURCE_EXHAUSTED).
    static func headersTooLarge(limit: Int) -> HTTPServerResponse {
        status(431, code: 8, "request header fields exceed \(limit) bytes")
    }

    /// A response with status `status` and a `google.rpc.Status` body; `message` must need no JSON escaping
    /// beyond quotes and backslashes (the server's own messages are plain ASCII).
    static func status(_ status: Int, code: Int, _ message: String) -> HTTPServerResponse {
        var escaped = ""
        for character in message.unicodeScalars {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where character.value < 0x20: escaped += " "
            default: escaped.unicodeScalars.append(character)
            }
        }
        let body = "{\"code\":\(code),\"message\":\"\(escaped)\",\"details\":[]}"
        return HTTPServerResponse(status: status, headers: [("content-type", "application/json")], body: Array(body.utf8))
    }
}
