import AudoticsAuth
import AudoticsRPC
import AudoticsTLS
import Foundation
import Testing

/// One way a token can be wrong, and the error it must get.
enum Rejection: String, CaseIterable, Sendable {
    case empty, twoSegments, fourSegments, fiveSegmentsJWE, badBase64Header, paddedBase64, badBase64Signature
    case headerNotJSON, headerNotObject, algNotString, payloadNotJSON, payloadArray, expAsString, expFractional
    case audNumber, subMissing, jtiMissing, emptySubject, typNotJWT, critical, tooLong
    case expired, notYetValid, issuedInFuture, wrongIssuer, wrongAudience, audArrayWithoutUs
    case algNone, algNoneUppercase, algNoneUnsigned, hs256WithPublicKey, hs256WithPEM, rs256, es256, algLowercaseEdDSA
    case unknownKeyID, missingKeyID, flippedSignatureBit, signatureTooShort, tamperedPayload, otherKeySameKeyID

    var expected: AuthError.Code {
        switch self {
        case .empty: .missingToken
        case .twoSegments, .fourSegments, .fiveSegmentsJWE, .badBase64Header, .paddedBase64, .badBase64Signature,
            .headerNotJSON, .headerNotObject, .algNotString, .payloadNotJSON, .payloadArray, .expAsString, .expFractional,
            .audNumber, .subMissing, .jtiMissing, .emptySubject, .typNotJWT, .critical, .tooLong:
            .malformedToken
        case .expired: .expired
        case .notYetValid, .issuedInFuture: .notYetValid
        case .wrongIssuer: .wrongIssuer
        case .wrongAudience, .audArrayWithoutUs: .wrongAudience
        case .algNone, .algNoneUppercase, .algNoneUnsigned, .hs256WithPublicKey, .hs256WithPEM, .rs256, .es256,
            .algLowercaseEdDSA:
            .unsupportedAlgorithm
        case .unknownKeyID, .missingKeyID: .unknownKey
        case .flippedSignatureBit, .signatureTooShort, .tamperedPayload, .otherKeySameKeyID: .badSignature
        }
    }

    func token(_ f: TokenFixtures) throws -> String {
        let kid = f.key.keyID
        let good = try f.forge(header: f.header, payload: f.payload())
        let parts = good.split(separator: ".").map(String.init)
        func header(_ alg: String) -> String { #"{"alg":"\#(alg)","typ":"JWT","kid":"\#(kid)"}"# }
        func hmac(alg: String, secret: [UInt8]) throws -> String {
            let input = Base64URL.encode(Array(header(alg).utf8)) + "." + Base64URL.encode(Array(f.payload().utf8))
            return input + "." + Base64URL.encode(try HMACSHA256.authenticationCode(for: Array(input.utf8), key: secret))
        }
        switch self {
        case .empty: return ""
        case .twoSegments: return parts[0] + "." + parts[1]
        case .fourSegments: return good + ".AAAA"
        case .fiveSegmentsJWE: return good + ".AAAA.BBBB"
        case .badBase64Header: return "eyJ*" + parts[0] + "." + parts[1] + "." + parts[2]
        case .paddedBase64: return parts[0] + "." + parts[1] + "==." + parts[2]
        case .badBase64Signature: return parts[0] + "." + parts[1] + "." + parts[2] + "+/"
        case .headerNotJSON: return try f.forge(header: "alg EdDSA", payload: f.payload())
        case .headerNotObject: return try f.forge(header: #"["EdDSA"]"#, payload: f.payload())
        case .algNotString: return try f.forge(header: #"{"alg":7,"kid":"\#(kid)"}"#, payload: f.payload())
        case .payloadNotJSON: return try f.forge(header: f.header, payload: "{sub: user-42")
        case .payloadArray: return try f.forge(header: f.header, payload: "[1,2]")
        case .expAsString: return try f.forge(header: f.header, payload: f.payload(["exp": "\"\(TokenFixtures.nowSeconds + 900)\""]))
        case .expFractional: return try f.forge(header: f.header, payload: f.payload(["exp": "\(TokenFixtures.nowSeconds + 900).5"]))
        case .audNumber: return try f.forge(header: f.header, payload: f.payload(["aud": "1"]))
        case .subMissing: return try f.forge(header: f.header, payload: f.payload(["sub": "<absent>"]))
        case .jtiMissing: return try f.forge(header: f.header, payload: f.payload(["jti": "<absent>"]))
        case .emptySubject: return try f.forge(header: f.header, payload: f.payload(["sub": #""""#]))
        case .typNotJWT: return try f.forge(header: #"{"alg":"EdDSA","typ":"JWE","kid":"\#(kid)"}"#, payload: f.payload())
        case .critical: return try f.forge(header: #"{"alg":"EdDSA","crit":["exp"],"kid":"\#(kid)"}"#, payload: f.payload())
        case .tooLong: return try f.forge(header: f.header, payload: f.payload(["pad": "\"" + String(repeating: "x", count: 9000) + "\""]))
        case .expired: return try f.forge(header: f.header, payload: f.payload(["exp": "\(TokenFixtures.nowSeconds - 31)"]))
        case .notYetValid: return try f.forge(header: f.header, payload: f.payload(["nbf": "\(TokenFixtures.nowSeconds + 31)"]))
        case .issuedInFuture: return try f.forge(header: f.header, payload: f.payload(["iat": "\(TokenFixtures.nowSeconds + 31)"]))
        case .wrongIssuer: return try f.forge(header: f.header, payload: f.payload(["iss": #""https://evil.test""#]))
        case .wrongAudience: return try f.forge(header: f.header, payload: f.payload(["aud": #""analytics""#]))
        case .audArrayWithoutUs: return try f.forge(header: f.header, payload: f.payload(["aud": #"["a","b"]"#]))
        case .algNone: return Base64URL.encode(Array(header("none").utf8)) + "." + parts[1] + "." + parts[2]
        case .algNoneUppercase: return Base64URL.encode(Array(header("NONE").utf8)) + "." + parts[1] + "."
        case .algNoneUnsigned: return Base64URL.encode(Array(header("none").utf8)) + "." + parts[1] + "."
        case .hs256WithPublicKey: return try hmac(alg: "HS256", secret: f.key.verificationKey.publicKey.rawRepresentation)
        case .hs256WithPEM: return try hmac(alg: "HS256", secret: Array(f.key.verificationKey.publicKeyPEM().utf8))
        case .rs256: return try f.forge(header: header("RS256"), payload: f.payload())
        case .es256: return try f.forge(header: header("ES256"), payload: f.payload())
        case .algLowercaseEdDSA: return try f.forge(header: header("eddsa"), payload: f.payload())
        case .unknownKeyID: return try f.forge(header: #"{"alg":"EdDSA","typ":"JWT","kid":"retired-long-ago"}"#, payload: f.payload())
        case .missingKeyID: return try f.forge(header: #"{"alg":"EdDSA","typ":"JWT"}"#, payload: f.payload())
        case .flippedSignatureBit:
            var signature = try #require(Base64URL.decode(parts[2]))
            signature[10] ^= 0x01
            return parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
        case .signatureTooShort:
            let signature = try #require(Base64URL.decode(parts[2]))
            return parts[0] + "." + parts[1] + "." + Base64URL.encode(Array(signature.prefix(63)))
        case .tamperedPayload:
            return parts[0] + "." + Base64URL.encode(Array(f.payload(["sub": #""admin""#]).utf8)) + "." + parts[2]
        case .otherKeySameKeyID: return try f.forge(header: f.header, payload: f.payload(), signer: Ed25519PrivateKey())
        }
    }
}

@Suite("access tokens: every rejection")
struct AccessTokenRejectionTests {
    @Test("the control: the unmodified forged token verifies")
    func control() throws {
        let fixtures = try TokenFixtures()
        let token = try fixtures.forge(header: fixtures.header, payload: fixtures.payload())
        #expect(try fixtures.verifier.verify(token, now: TokenFixtures.now).subject == "user-42")
    }

    @Test("is rejected with the right reason, as UNAUTHENTICATED, without echoing the token", arguments: Rejection.allCases)
    func rejected(_ rejection: Rejection) throws {
        let fixtures = try TokenFixtures()
        let token = try rejection.token(fixtures)
        let error = #expect(throws: AuthError.self) { try fixtures.verifier.verify(token, now: TokenFixtures.now) }
        #expect(error?.code == rejection.expected, "\(error.map { "\($0)" } ?? "no error")")
        let rpcError = try #require(error?.rpcError)
        #expect(rpcError.code == .unauthenticated)
        for part in token.split(separator: ".") where part.count >= 8 {
            #expect(!rpcError.message.contains(part))
            #expect(!"\(rpcError)".contains(part))
        }
    }

    @Test("a key removed from the verifier's set stops verifying its tokens")
    func replacedKeys() throws {
        let fixtures = try TokenFixtures()
        let token = try fixtures.issuer.issue(subject: "u", now: TokenFixtures.now).token
        _ = try fixtures.verifier.verify(token, now: TokenFixtures.now)
        fixtures.verifier.replaceKeys(try VerificationKeySet([try SigningKey.generate().verificationKey]))
        #expect(throws: AuthError.self) { try fixtures.verifier.verify(token, now: TokenFixtures.now) }
    }
}
