/// A failure inside the mapping, before it becomes a `JSONMappingError` at the API boundary.
///
/// The field path is collected while the error unwinds (each level appends its component), so the
/// success path pays nothing for it.
struct MappingFailure: Error {
    var code: JSONMappingError.Code
    /// What went wrong, without the path.
    var detail: String
    /// Path components, innermost first: `name`, `[3]`, `["key"]`.
    var reversedPath: [String] = []
    /// Whether `detail` already says where (unknown fields name their message).
    var mentionsField = false

    init(_ code: JSONMappingError.Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The same failure one level up: inside field `name`.
    func inField(_ name: String) -> MappingFailure {
        var copy = self
        copy.reversedPath.append(name)
        return copy
    }

    /// The same failure one level up: inside element `index` of a list.
    func atIndex(_ index: Int) -> MappingFailure {
        var copy = self
        copy.reversedPath.append("[\(index)]")
        return copy
    }

    /// The error callers see.
    var error: JSONMappingError {
        var path = ""
        for component in reversedPath.reversed() {
            if !path.isEmpty, !component.hasPrefix("[") { path += "." }
            path += component
        }
        let message: String
        if path.isEmpty {
            message = detail
        } else if mentionsField {
            message = "\(detail) (at \"\(path)\")"
        } else {
            message = "field \"\(path)\": \(detail)"
        }
        return JSONMappingError(code: code, message: message, fieldPath: path)
    }

    /// A short quotation of a rejected literal for an error message: at most `limit` bytes, printable ASCII.
    static func quote(_ text: UnsafeRawBufferPointer, limit: Int = 32) -> String {
        var result = "\""
        for byte in text.prefix(limit) {
            result.append(byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") ? Character(Unicode.Scalar(byte)) : "?")
        }
        if text.count > limit { result += "…" }
        return result + "\""
    }
}
