internal import FoundationEssentials

/// A JSON Web Key Set (RFC 7517 §5): `{"keys":[…]}`, newest key first, as GetJwks and `/.well-known/jwks.json` serve it.
public struct JSONWebKeySet: Sendable, Hashable, Codable {
    /// The keys, newest first.
    public var keys: [JSONWebKey]

    /// Creates a set.
    public init(keys: [JSONWebKey]) {
        self.keys = keys
    }

    /// Parses a JWKS document; throws `keyLoadFailed` when it is not one.
    public init(json: String) throws(AuthError) {
        do {
            self = try JSONDecoder().decode(JSONWebKeySet.self, from: Data(json.utf8))
        } catch {
            throw AuthError(code: .keyLoadFailed, message: "not a JWKS document ({\"keys\":[…]} with kty, crv, x and kid)")
        }
    }

    /// The document as compact JSON with sorted member names, e.g.
    /// `{"keys":[{"alg":"EdDSA","crv":"Ed25519","kid":"…","kty":"OKP","use":"sig","x":"…"}]}`.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and optionals into JSON cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{\"keys\":[]}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
