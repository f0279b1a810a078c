/// A problem with the gateway's configuration or route table, found when the gateway starts (never per request).
public struct GatewayConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(message: String) {
        self.message = message
    }

    public var description: String { "gateway configuration: \(message)" }
}
