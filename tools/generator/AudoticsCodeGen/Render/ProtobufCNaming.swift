/// The C identifiers protoc-c 1.4 derives from proto names (its `c_helpers.cc`), so that generated
/// Swift can name the structs and functions of the generated C.
enum ProtobufCNaming {
    /// `audotics.v1.Track` → `Audotics__V1__Track` (the struct and enum type name).
    static func typeName(_ fullName: String) -> String {
        fullName.split(separator: ".").map { toCamel(String($0)) }.joined(separator: "__")
    }

    /// `audotics.v1.TrackStats` → `audotics__v1__track_stats` (the prefix of functions and descriptors).
    static func lowerName(_ fullName: String) -> String {
        fullName.split(separator: ".").map { camelToLower(String($0)) }.joined(separator: "__")
    }

    /// The struct member for a field: lower-cased, with `_` appended to C and C++ keywords.
    static func fieldName(_ name: String) -> String {
        let lowered = name.lowercased()
        return cKeywords.contains(lowered) ? lowered + "_" : lowered
    }

    /// The struct member holding which field of a oneof is set.
    static func oneofCaseName(_ oneofName: String) -> String {
        oneofName.lowercased() + "_case"
    }

    private static func toCamel(_ piece: String) -> String {
        var result = ""
        var nextUpper = true
        for character in piece {
            if character == "_" {
                nextUpper = true
            } else if nextUpper {
                result += character.uppercased()
                nextUpper = false
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func camelToLower(_ piece: String) -> String {
        var result = ""
        var wasUpper = true
        for character in piece {
            let isUpper = character.isASCII && character.isUppercase
            if isUpper {
                if !wasUpper { result += "_" }
                result += character.lowercased()
            } else {
                result.append(character)
            }
            wasUpper = isUpper
        }
        return result
    }

    private static let cKeywords: Set<String> = [
        "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char", "class",
        "compl", "const", "const_cast", "continue", "default", "delete", "do", "double", "dynamic_cast", "else",
        "enum", "explicit", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
        "mutable", "namespace", "new", "not", "not_eq", "operator", "or", "or_eq", "private", "protected",
        "public", "register", "reinterpret_cast", "return", "short", "signed", "sizeof", "static", "static_cast",
        "struct", "switch", "template", "this", "throw", "true", "try", "typedef", "typeid", "typename", "union",
        "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    ]
}
