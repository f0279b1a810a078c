/// Reads what the OpenAPI document needs from a `.proto` comment, following the conventions of
/// proto/audotics/v1/common.proto: an `Auth: none` line marks a method that needs no access token,
/// and an `Errors:` paragraph names the gRPC status codes a method returns.
public struct ProtoComment: Hashable, Sendable {
    /// The lines without protoc's leading space, blank lines at either end removed.
    public let lines: [String]

    /// Reads a comment as protoc gives it (`" Returns one track.\n"`).
    public init(_ raw: String) {
        var lines = raw.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let text = line.hasPrefix(" ") ? String(line.dropFirst()) : String(line)
            return text.trimmingTrailingSpaces
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        self.lines = lines
    }

    /// The whole comment, line breaks kept (Markdown).
    public var text: String { lines.joined(separator: "\n") }

    /// Whether the comment is empty.
    public var isEmpty: Bool { lines.isEmpty }

    /// The first sentence of the first paragraph, on one line.
    public var summary: String {
        let paragraph = lines.prefix { !$0.isEmpty }.map(\.trimmingSpaces).joined(separator: " ")
        var searchFrom = paragraph.startIndex
        while let end = paragraph[searchFrom...].firstRange(of: ". ") {
            let sentence = paragraph[..<end.lowerBound]
            if !sentence.hasSuffix("e.g") && !sentence.hasSuffix("i.e") { return String(sentence) + "." }
            searchFrom = end.upperBound
        }
        return paragraph
    }

    /// Whether a line says `Auth: none`.
    public var saysNoAuth: Bool {
        lines.contains { $0.trimmingSpaces.hasPrefix("Auth: none") }
    }

    /// The gRPC status codes named in the sentence after `Errors:`, in order of first mention.
    public var errorCodes: [String] {
        let text = lines.joined(separator: " ")
        guard let start = text.firstRange(of: "Errors:") else { return [] }
        var codes: [String] = []
        var word = ""
        var depth = 0
        var previous: Character = " "
        for character in text[start.upperBound...] + " " {
            // The list ends with its sentence; later sentences may mention codes that are not returned.
            if depth == 0 && previous == "." && character == " " { break }
            if character == "(" { depth += 1 }
            if character == ")" { depth = max(0, depth - 1) }
            previous = character
            if character == "_" || (character.isASCII && character.isUppercase) {
                word.append(character)
                continue
            }
            if GRPCStatusName.httpStatus[word] != nil && !codes.contains(word) { codes.append(word) }
            word = ""
        }
        return codes
    }

    /// The length limit of a string stated as "at most N characters" or "N to M characters", when the
    /// comment states exactly one such limit and none for each of several values ("each").
    public var characterLimit: Int? {
        let words = lines.joined(separator: " ").split(whereSeparator: { $0 == " " || $0 == "\t" }).map {
            String($0).trimmingCharacters(from: "(),;:.").lowercased()
        }
        if words.contains("each") { return nil }
        var limits: Set<Int> = []
        for index in words.indices where words[index] == "characters" && index >= 3 {
            guard let limit = Int(words[index - 1].replacingCommas) else { continue }
            let isAtMost = words[index - 3] == "at" && words[index - 2] == "most"
            let isRange = words[index - 2] == "to" && Int(words[index - 3].replacingCommas) != nil
            if isAtMost || isRange { limits.insert(limit) }
        }
        return limits.count == 1 ? limits.first : nil
    }
}

extension String {
    /// The string without trailing spaces and tabs.
    var trimmingTrailingSpaces: String {
        var slice = Substring(self)
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }

    /// The string without any of `characters` at either end.
    func trimmingCharacters(from characters: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }

    /// The string without commas (`"10,000"` → `"10000"`).
    var replacingCommas: String { filter { $0 != "," } }
}
