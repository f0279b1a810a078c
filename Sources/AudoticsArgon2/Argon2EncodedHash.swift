/// The public parts of a PHC-encoded argon2 hash (`$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>`).
///
/// Parsing it lets a caller check the costs before verifying (a stored hash with a huge `m` would make
/// verification allocate that much) and decide whether a hash needs upgrading to new parameters.
public struct Argon2EncodedHash: Sendable, Hashable {
    /// The variant name: `argon2id`, `argon2i` or `argon2d`.
    public var variant: String
    /// The algorithm version (19 = 0x13, the current one).
    public var version: UInt32
    /// The costs and the salt and hash lengths recorded in the string.
    public var parameters: Argon2Parameters

    /// Parses `encoded`, throwing `malformedEncoding` for anything that is not a well-formed PHC argon2 string.
    public init(parsing encoded: String) throws(Argon2Error) {
        func malformed(_ what: String) -> Argon2Error {
            Argon2Error(code: .malformedEncoding, message: "encoded hash: \(what)")
        }
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0].isEmpty else { throw malformed("expected 5 fields separated by '$'") }
        guard ["argon2id", "argon2i", "argon2d"].contains(fields[1]) else { throw malformed("unknown variant") }
        guard fields[2].hasPrefix("v="), let version = UInt32(fields[2].dropFirst(2)) else {
            throw malformed("missing or invalid version")
        }
        let costs = fields[3].split(separator: ",", omittingEmptySubsequences: false)
        guard costs.count == 3,
            costs[0].hasPrefix("m="), let memory = UInt32(costs[0].dropFirst(2)),
            costs[1].hasPrefix("t="), let iterations = UInt32(costs[1].dropFirst(2)),
            costs[2].hasPrefix("p="), let parallelism = UInt32(costs[2].dropFirst(2))
        else { throw malformed("expected costs m=<KiB>,t=<iterations>,p=<lanes>") }
        guard let saltLength = Self.decodedLength(fields[4]), let hashLength = Self.decodedLength(fields[5]) else {
            throw malformed("salt and hash must be unpadded base64")
        }
        self.variant = String(fields[1])
        self.version = version
        self.parameters = Argon2Parameters(
            memoryKiB: memory, iterations: iterations, parallelism: parallelism,
            saltLength: saltLength, hashLength: hashLength
        )
    }

    /// Whether a hash made with these parameters differs from `target` in variant or cost, so a
    /// successful login should re-hash the password with `target`.
    public func needsRehash(for target: Argon2Parameters) -> Bool {
        variant != "argon2id" || version != 0x13
            || parameters.memoryKiB != target.memoryKiB || parameters.iterations != target.iterations
            || parameters.parallelism != target.parallelism || parameters.hashLength != target.hashLength
            || parameters.saltLength != target.saltLength
    }

    /// The byte count of unpadded standard base64 text, or nil if it has other characters or an impossible length.
    private static func decodedLength(_ text: Substring) -> Int? {
        let isBase64 = text.utf8.allSatisfy { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x2B || byte == 0x2F
        }
        let count = text.utf8.count
        guard isBase64, count > 0, count % 4 != 1 else { return nil }
        return count * 3 / 4
    }
}
