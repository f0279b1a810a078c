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
        let provided = metadataProvider?.get() ?? [:]
        let explicit = event.metadata ?? [:]
        // The common cases need no merged dictionary: only the handler's metadata (formatted once, when it was
        // set), or only the call's (formatted straight into the line).
        var pretty: String?
        var pairs: Logger.Metadata = [:]
        if provided.isEmpty, explicit.isEmpty, event.error == nil {
            pretty = prettyMetadata
        } else if metadata.isEmpty, provided.isEmpty, event.error == nil {
            pairs = explicit
        } else {
            // The same precedence as StreamLogHandler: the handler's, then the provider's, then the call's.
            var merged = metadata
            merged.merge(provided) { _, new in new }
            merged.merge(explicit) { _, new in new }
            if let error = event.error {
                merged["error.message"] = "\(error)"
                merged["error.type"] = "\(String(reflecting: type(of: error)))"
            }
            pairs = merged
        }
        let message = event.message.description
        let source = event.source
        var line = ""
        // One allocation for the whole line: the timestamp is 24 bytes, the rest is the parts below.
        line.reserveCapacity(
            48 + label.utf8.count + (pretty?.utf8.count ?? 0) + Self.prettyLength(pairs) + source.utf8.count + message.utf8.count)
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
        } else if !pairs.isEmpty {
            line += " "
            Self.appendPretty(pairs, to: &line)
        }
        line += " ["
        line += source
        line += "] "
        line += message
        line += "\n"
        writer.append(line, urgent: event.level >= .error, synchronous: event.level == .critical)
    }

    /// `key=value` pairs sorted by key, as StreamLogHandler prints them; nil for none.
    static func prettify(_ metadata: Logger.Metadata) -> String? {
        guard !metadata.isEmpty else { return nil }
        var text = ""
        text.reserveCapacity(prettyLength(metadata))
        appendPretty(metadata, to: &text)
        return text
    }

    /// About the length of `appendPretty`'s text (exact when every value is a string).
    private static func prettyLength(_ metadata: Logger.Metadata) -> Int {
        var length = 0
        for (key, value) in metadata {
            length += key.utf8.count + 2
            if case .string(let value) = value { length += value.utf8.count } else { length += 16 }
        }
        return length
    }

    /// Appends `key=value` pairs sorted by key, separated by spaces.
    private static func appendPretty(_ metadata: Logger.Metadata, to text: inout String) {
        // Sorting the dictionary's indices in a stack buffer: a request's few pairs cost no array.
        withUnsafeTemporaryAllocation(of: Logger.Metadata.Index.self, capacity: metadata.count) { buffer in
            let order = buffer.baseAddress!
            var count = 0
            defer { order.deinitialize(count: count) }
            for index in metadata.indices {
                let key = metadata[index].key
                var position = count
                while position > 0, precedes(key, metadata[order[position - 1]].key) { position -= 1 }
                (order + position + 1).moveInitialize(from: order + position, count: count - position)
                (order + position).initialize(to: index)
                count += 1
            }
            for position in 0..<count {
                let (key, value) = metadata[order[position]]
                if position > 0 { text += " " }
                text += key
                text += "="
                if case .string(let value) = value { text += value } else { text += value.description }
            }
        }
    }

    /// `a < b` as `String` orders them, by bytes when both are ASCII (metadata keys are): the same order,
    /// without the general comparison's cost. (Only all-ASCII: a combining mark could reorder other text.)
    private static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        let ascii: Bool? = a.withUTF8 { left in
            b.withUTF8 { right in
                guard left.allSatisfy({ $0 < 0x80 }), right.allSatisfy({ $0 < 0x80 }) else { return nil }
                return left.lexicographicallyPrecedes(right)
            }
        }
        return ascii ?? (a < b)
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

