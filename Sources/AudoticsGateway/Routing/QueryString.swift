/// The parameters of a URL query string, decoded (`application/x-www-form-urlencoded`: `+` is a space).
public struct QueryString: Sendable, Hashable {
    /// The parameters in order; a name may repeat (a repeated field).
    public let parameters: [(name: String, value: String)]

    /// Parses `query` (the part after `?`, without it). Throws `GatewayError` (400) for a malformed escape.
    public init(_ query: Substring) throws(GatewayError) {
        var parameters: [(name: String, value: String)] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0], keepingSlashes: false, plusAsSpace: true),
                let value = parts.count > 1 ? PercentDecoding.decode(parts[1], keepingSlashes: false, plusAsSpace: true) : ""
            else {
                throw GatewayError(status: 400, code: .invalidArgument, message: "the query string has a malformed %-escape")
            }
            guard !name.isEmpty else {
                throw GatewayError(status: 400, code: .invalidArgument, message: "the query string has a parameter without a name")
            }
            parameters.append((name, value))
        }
        self.parameters = parameters
    }

    public static func == (lhs: QueryString, rhs: QueryString) -> Bool {
        lhs.parameters.elementsEqual(rhs.parameters) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (name, value) in parameters {
            hasher.combine(name)
            hasher.combine(value)
        }
    }
}
