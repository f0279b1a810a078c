import AudoticsAuth
import Testing

@Suite("email addresses")
struct EmailAddressTests {
    @Test("trims and lowercases the whole address")
    func normalises() throws {
        let email = try EmailAddress("  Ada.Lovelace+Music@Example.ORG \n")
        #expect(email.normalized == "ada.lovelace+music@example.org")
        #expect(email.localPart == "ada.lovelace+music")
        #expect(email.domain == "example.org")
        #expect(try EmailAddress("josé@bücher.de").domain == "bücher.de")
    }

    @Test(
        "rejects the obviously invalid",
        arguments: [
            "", "   ", "ada", "ada@", "@example.org", "ada@example", "ada@@example.org", "a@b@example.org",
            "ada lovelace@example.org", "ada@exa mple.org", "\"ada\"@example.org", "ada@example..org", ".ada@example.org",
            "ada.@example.org", "ad..a@example.org", "ada@-example.org", "ada@example-.org", "ada@example.123",
            "ada@ex_ample.org", "ada\u{0}@example.org", "<ada>@example.org",
            String(repeating: "a", count: 65) + "@example.org",
            "ada@" + String(repeating: "a", count: 64) + ".org",
            "ada@" + String(repeating: "abcdefghi.", count: 25) + "org",
        ])
    func rejects(_ text: String) {
        let error = #expect(throws: AuthError.self) { try EmailAddress(text) }
        #expect(error?.code == .invalidEmail)
        #expect(error?.rpcError.code == .invalidArgument)
    }
}
