/// Idiomatic Swift names for proto names.
enum SwiftNaming {
    /// `seed_track_ids` → `seedTrackIDs`; Swift keywords come back in backticks.
    static func propertyName(_ protoName: String) -> String {
        escape(lowerCamel(protoName))
    }

    /// `seed_track_ids` → `seedTrackIDs`, without keyword escaping.
    static func lowerCamel(_ protoName: String) -> String {
        let words = splitWords(protoName)
        guard let first = words.first else { return protoName }
        var result = first.lowercased()
        for word in words.dropFirst() { result += capitalizedWord(word) }
        return result
    }

    /// `payload_type` → `PayloadType`.
    static func upperCamel(_ protoName: String) -> String {
        splitWords(protoName).map(capitalizedWord).joined()
    }

    /// `GetTrack` → `getTrack` (RPC names to Swift method names).
    static func methodName(_ rpcName: String) -> String {
        guard let first = rpcName.first else { return rpcName }
        var prefixLength = 0
        for character in rpcName {
            if character.isUppercase { prefixLength += 1 } else { break }
        }
        // "RPCStats" → "rpcStats": lower-case a leading acronym except its last letter.
        if prefixLength > 1 && prefixLength < rpcName.count { prefixLength -= 1 }
        if prefixLength == 0 { return escape(String(first).lowercased() + rpcName.dropFirst()) }
        return escape(rpcName.prefix(prefixLength).lowercased() + rpcName.dropFirst(prefixLength))
    }

    /// A Swift type name for a proto message or enum name, avoiding names Swift reserves.
    static func typeName(_ protoName: String) -> String {
        reservedTypeNames.contains(protoName) ? "Proto" + protoName : protoName
    }

    /// An enum case name for a proto enum value: the enum's `UPPER_SNAKE` prefix is removed.
    static func enumCaseName(_ valueName: String, enumName: String) -> String {
        let prefix = upperSnake(enumName) + "_"
        var name = valueName
        if valueName.hasPrefix(prefix) {
            let stripped = String(valueName.dropFirst(prefix.count))
            if let first = stripped.first, !first.isNumber { name = stripped }
        }
        return escape(lowerCamel(name.lowercased()))
    }

    /// `EventType` → `EVENT_TYPE`.
    static func upperSnake(_ camel: String) -> String {
        var result = ""
        var previousLower = false
        for character in camel {
            if character.isUppercase && previousLower { result += "_" }
            result += character.uppercased()
            previousLower = character.isLowercase || character.isNumber
        }
        return result
    }

    /// Wraps Swift keywords in backticks.
    static func escape(_ name: String) -> String {
        swiftKeywords.contains(name) ? "`\(name)`" : name
    }

    private static func splitWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for character in name {
            if character == "_" {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousLower = false
                continue
            }
            if character.isUppercase && previousLower {
                words.append(current)
                current = ""
            }
            current.append(character)
            previousLower = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    private static func capitalizedWord(_ word: String) -> String {
        switch word.lowercased() {
        case "id": return "ID"
        case "ids": return "IDs"
        case "url": return "URL"
        case "urls": return "URLs"
        default: return word.prefix(1).uppercased() + word.dropFirst()
        }
    }

    private static let reservedTypeNames: Set<String> = ["Any", "Type", "Protocol", "Self", "Error", "Result", "Never"]

    private static let swiftKeywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
        "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
        "try", "Type", "Protocol", "some", "any",
    ]
}
