public import AudoticsWellKnownTypes

extension Timestamp {
    /// The instant `microseconds` after the Unix epoch (how the services read times from PostgreSQL).
    public init(unixMicroseconds microseconds: Int64) {
        self.init()
        seconds = microseconds / 1_000_000
        nanos = Int32(microseconds % 1_000_000) * 1_000
    }

    /// The instant as Unix microseconds (sub-microsecond digits dropped).
    public var unixMicroseconds: Int64 {
        seconds &* 1_000_000 &+ Int64(nanos / 1_000)
    }
}
