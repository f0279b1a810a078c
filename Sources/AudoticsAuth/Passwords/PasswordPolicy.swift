/// What makes a password acceptable at registration (and on a password change).
///
/// - At least `minimumLength` (10) characters, counted as Unicode characters (grapheme clusters).
/// - At most `maximumLength` (128) characters and `maximumBytes` (1024) UTF-8 bytes: user.proto's limit, and a bound on
///   the work one hash costs (a single character can be many bytes).
/// - Not the email address, ignoring case, and not containing the email's local part (ignoring case) when that part
///   has at least `minimumLocalPartLengthChecked` (3) characters; shorter local parts would forbid too much.
public struct PasswordPolicy: Sendable, Hashable {
    /// The fewest characters accepted.
    public var minimumLength = 10
    /// The most characters accepted.
    public var maximumLength = 128
    /// The most UTF-8 bytes accepted.
    public var maximumBytes = 1024
    /// The shortest email local part that a password may not contain.
    public var minimumLocalPartLengthChecked = 3

    /// The platform's policy.
    public static let standard = PasswordPolicy()

    /// Creates the standard policy; adjust fields to taste.
    public init() {}

    /// Throws `weakPassword` with a message naming the broken rule (never the password) unless `password` is acceptable
    /// for the account `email`.
    public func check(_ password: String, email: EmailAddress) throws(AuthError) {
        func weak(_ reason: String) -> AuthError { AuthError(code: .weakPassword, message: "the password \(reason)") }
        guard password.count >= minimumLength else { throw weak("must have at least \(minimumLength) characters") }
        guard password.count <= maximumLength, password.utf8.count <= maximumBytes else {
            throw weak("must have at most \(maximumLength) characters")
        }
        let folded = password.lowercased()
        guard folded != email.normalized else { throw weak("must not be the email address") }
        let local = String(email.localPart)
        if local.count >= minimumLocalPartLengthChecked, folded.contains(local) {
            throw weak("must not contain the email address's name (the part before '@')")
        }
    }
}
