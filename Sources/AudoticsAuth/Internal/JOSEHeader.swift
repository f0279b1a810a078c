/// The protected header of a compact JWS (RFC 7515 §4): the members this module reads.
struct JOSEHeader: Codable, Hashable {
    /// `alg`: the signature algorithm; only `EdDSA` is accepted.
    var algorithm: String
    /// `typ`: the media type, `JWT` when present.
    var type: String?
    /// `kid`: which key signed the token.
    var keyID: String?
    /// Whether the header has a `crit` member: it names extensions a recipient must understand, and this module
    /// understands none, so such tokens are rejected (RFC 7515 §4.1.11).
    var hasCriticalExtensions = false

    /// The algorithm name of Ed25519 signatures in JOSE (RFC 8037 §3.1).
    static let edDSA = "EdDSA"

    init(algorithm: String, type: String?, keyID: String?) {
        self.algorithm = algorithm
        self.type = type
        self.keyID = keyID
    }

    private enum CodingKeys: String, CodingKey {
        case algorithm = "alg", type = "typ", keyID = "kid", critical = "crit"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        algorithm = try container.decode(String.self, forKey: .algorithm)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        keyID = try container.decodeIfPresent(String.self, forKey: .keyID)
        hasCriticalExtensions = container.contains(.critical)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(algorithm, forKey: .algorithm)
        try container.encodeIfPresent(type, forKey: .type)
        try container.encodeIfPresent(keyID, forKey: .keyID)
    }
}
