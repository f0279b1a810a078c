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
        let urgent = event.level >= .error
        let synchronous = event.level == .critical
        // The line is assembled on the stack and copied into the writer's buffer: no allocation, no String
        // appends. A line too long for the stack buffer is made as a String instead.
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.stackLineCapacity) { buffer in
            var line = LineBytes(buffer)
            appendLine(to: &line, level: event.level, pretty: pretty, pairs: pairs, source: event.source, message: message)
            guard !line.overflowed else { return false }
            writer.append(bytes: UnsafeRawBufferPointer(line.written), urgent: urgent, synchronous: synchronous)
            return true
        }
        if written { return }
        var line = ""
        // One allocation for the whole line: the timestamp is 24 bytes, the rest is the parts below.
        line.reserveCapacity(
            48 + label.utf8.count + (pretty?.utf8.count ?? 0) + Self.prettyLength(pairs) + event.source.utf8.count + message.utf8.count)
        appendLine(to: &line, level: event.level, pretty: pretty, pairs: pairs, source: event.source, message: message)
        writer.append(line, urgent: urgent, synchronous: synchronous)
    }

    /// Lines up to this many bytes are assembled on the stack.
    static let stackLineCapacity = 1024

    /// `<timestamp> <level> <label>: <key=value ...> [<source>] <message>` and a newline.
    private func appendLine<Line: LineText>(
        to line: inout Line, level: Logger.Level, pretty: String?, pairs: Logger.Metadata, source: String, message: String
    ) {
        line.append(Self.timestamp())
        line.append(" ")
        line.append(level.rawValue)
        if !label.isEmpty {
            line.append(" ")
            line.append(label)
        }
        line.append(":")
        if let pretty {
            line.append(" ")
            line.append(pretty)
        } else if !pairs.isEmpty {
            line.append(" ")
            Self.appendPretty(pairs, to: &line)
        }
        line.append(" [")
        line.append(source)
        line.append("] ")
        line.append(message)
        line.append("\n")
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
    private static func appendPretty<Line: LineText>(_ metadata: Logger.Metadata, to text: inout Line) {
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
                if position > 0 { text.append(" ") }
                text.append(key)
                text.append("=")
                if case .string(let value) = value { text.append(value) } else { text.append(value.description) }
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

/// Where a log line is assembled: a String, or bytes in a fixed buffer.
protocol LineText {
    mutating func append(_ text: String)
}

extension String: LineText {}

/// A log line's UTF-8 in a fixed buffer; text that does not fit marks it overflowed (and is not written).
struct LineBytes: LineText {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var count = 0
    private(set) var overflowed = false

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    /// The bytes appended so far.
    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[..<count]) }

    mutating func append(_ text: String) {
        guard !overflowed else { return }
        var text = text
        let start = count
        let buffer = self.buffer
        let appended: Int? = text.withUTF8 { bytes in
            guard bytes.count <= buffer.count - start else { return nil }
            if let source = bytes.baseAddress { (buffer.baseAddress! + start).initialize(from: source, count: bytes.count) }
            return bytes.count
        }
        if let appended { count += appended } else { overflowed = true }
    }
}
