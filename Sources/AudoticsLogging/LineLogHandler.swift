public import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes the lines swift-log's `StreamLogHandler` writes, in the same format
/// (`<timestamp> <level> <label>: <key=value ...> [<source>] <message>`), through a `LineLogWriter`: logging costs
/// the caller the formatting and a copy, never a system call, and never blocks it.
///
/// Bootstrap it once, first thing: `LoggingSystem.bootstrap { LineLogHandler(label: $0, writer: .standardError) }`.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    public var metadata: Logger.Metadata = [:] {
        didSet { prettyMetadata = Self.prettify(metadata) }
    }

    private let label: String
    private let writer: LineLogWriter
    private var prettyMetadata: String?

    /// A handler for `label` writing through `writer`.
    public init(label: String, writer: LineLogWriter, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.writer = writer
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let pretty: String?
        let provided = metadataProvider?.get() ?? [:]
        let explicit = event.metadata ?? [:]
        if provided.isEmpty, explicit.isEmpty, event.error == nil {
            pretty = prettyMetadata
        } else if metadata.isEmpty, provided.isEmpty, event.error == nil {
            pretty = Self.prettify(explicit)
        } else {
            // The same precedence as StreamLogHandler: the handler's, then the provider's, then the call's.
            var merged = metadata
            merged.merge(provided) { _, new in new }
            merged.merge(explicit) { _, new in new }
            if let error = event.error {
                merged["error.message"] = "\(error)"
                merged["error.type"] = "\(String(reflecting: type(of: error)))"
            }
            pretty = Self.prettify(merged)
        }
        let message = event.message.description
        var line = ""
        // One allocation for the whole line: the timestamp is 24 bytes, the rest is the parts below.
        line.reserveCapacity(48 + label.utf8.count + (pretty?.utf8.count ?? 0) + event.source.utf8.count + message.utf8.count)
        line += Self.timestamp()
        line += " "
        line += event.level.rawValue
        if !label.isEmpty {
            line += " "
            line += label
        }
        line += ":"
        if let pretty {
            line += " "
            line += pretty
        }
        line += " ["
        line += event.source
        line += "] "
        line += message
        line += "\n"
        writer.append(line, urgent: event.level >= .error, synchronous: event.level == .critical)
    }

    /// `key=value` pairs sorted by key, as StreamLogHandler prints them; nil for none.
    static func prettify(_ metadata: Logger.Metadata) -> String? {
        guard !metadata.isEmpty else { return nil }
        var text = ""
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            if !text.isEmpty { text += " " }
            text += key
            text += "="
            text += value.description
        }
        return text
    }

    /// The local time to the second, `%Y-%m-%dT%H:%M:%S%z` as StreamLogHandler prints it, formatted once per second.
    static func timestamp() -> String {
        let now = time(nil)
        if let text = lastTimestamp.withLock({ $0.second == now ? $0.text : nil }) { return text }
        var seconds = now
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        let text = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        lastTimestamp.withLock { $0 = (now, text) }
        return text
    }
}

/// The last second `LineLogHandler.timestamp()` formatted, and its text.
private let lastTimestamp = Mutex<(second: time_t, text: String)>((-1, ""))

