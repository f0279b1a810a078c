/// Limits that apply when decoding untrusted bytes.
public struct DecodingOptions: Hashable, Sendable {
    /// The largest encoded message accepted, in bytes. Defaults to 4 MiB, gRPC's default receive limit.
    public var maxMessageBytes: Int

    /// The default limits: 4 MiB per message.
    public static let `default` = DecodingOptions(maxMessageBytes: 4 * 1024 * 1024)

    /// Creates options with the given size limit.
    public init(maxMessageBytes: Int) {
        precondition(maxMessageBytes >= 0, "maxMessageBytes must not be negative")
        self.maxMessageBytes = maxMessageBytes
    }
}
