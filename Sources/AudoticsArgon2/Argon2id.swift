internal import CArgon2

/// Password hashing with argon2id (RFC 9106) through libargon2, producing and checking PHC strings.
///
/// Hashing and verifying are deliberately slow and memory hungry (tens of milliseconds and
/// `memoryKiB` of RAM per call, by design): callers must run them off event-loop threads and off
/// the cooperative pool — on a dedicated thread pool — and bound how many run at once.
public enum Argon2id {
    /// The default upper bound on the memory a stored hash may ask `verify` to use: 1 GiB.
    public static let defaultVerificationMemoryLimitKiB: UInt32 = 1 << 20

    /// Hashes `password` with `parameters` into a PHC string such as `$argon2id$v=19$m=19456,t=2,p=1$…$…`.
    ///
    /// The salt is `salt` when given (its length must be 8...1024 bytes) and otherwise
    /// `parameters.saltLength` bytes from the kernel CSPRNG (`/dev/urandom`).
    public static func hash(
        password: [UInt8],
        parameters: Argon2Parameters,
        salt: [UInt8]? = nil
    ) throws(Argon2Error) -> String {
        var parameters = parameters
        if let salt { parameters.saltLength = salt.count }  // a given salt defines the length
        try parameters.validate()
        let saltBytes: [UInt8]
        if let salt {
            saltBytes = salt
        } else {
            saltBytes = try SystemRandom.bytes(count: parameters.saltLength)
        }
        let encodedLength = argon2_encodedlen(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism,
            UInt32(parameters.saltLength), UInt32(parameters.hashLength), Argon2_id
        )
        var encoded = [CChar](repeating: 0, count: encodedLength + 1)
        let status = password.withUnsafeBytes { passwordBytes in
            saltBytes.withUnsafeBytes { saltBuffer in
                argon2id_hash_encoded(
                    parameters.iterations, parameters.memoryKiB, parameters.parallelism,
                    passwordBytes.baseAddress, passwordBytes.count,
                    saltBuffer.baseAddress, saltBuffer.count,
                    parameters.hashLength, &encoded, encoded.count
                )
            }
        }
        guard status == ARGON2_OK.rawValue else { throw Self.error(status) }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Hashes the UTF-8 bytes of `password`; see `hash(password:parameters:salt:)`.
    public static func hash(
        password: String,
        parameters: Argon2Parameters,
        salt: [UInt8]? = nil
    ) throws(Argon2Error) -> String {
        try hash(password: Array(password.utf8), parameters: parameters, salt: salt)
    }

    /// Whether `password` matches the argon2id PHC string `encoded`, compared in constant time by libargon2.
    ///
    /// Returns false for a wrong password; throws `malformedEncoding` for a string that is not an
    /// argon2id PHC hash and `costLimitExceeded` when it asks for more than `memoryLimitKiB` of memory.
    public static func verify(
        password: [UInt8],
        encoded: String,
        memoryLimitKiB: UInt32 = defaultVerificationMemoryLimitKiB
    ) throws(Argon2Error) -> Bool {
        let parsed = try Argon2EncodedHash(parsing: encoded)
        guard parsed.variant == "argon2id" else {
            throw Argon2Error(code: .malformedEncoding, message: "encoded hash: expected argon2id, found \(parsed.variant)")
        }
        guard parsed.parameters.memoryKiB <= memoryLimitKiB else {
            throw Argon2Error(
                code: .costLimitExceeded,
                message: "encoded hash asks for \(parsed.parameters.memoryKiB) KiB, above the limit of \(memoryLimitKiB) KiB"
            )
        }
        let status = password.withUnsafeBytes { passwordBytes in
            argon2id_verify(encoded, passwordBytes.baseAddress, passwordBytes.count)
        }
        switch status {
        case ARGON2_OK.rawValue: return true
        case ARGON2_VERIFY_MISMATCH.rawValue: return false
        default: throw Self.error(status)
        }
    }

    /// Whether the UTF-8 bytes of `password` match `encoded`; see `verify(password:encoded:memoryLimitKiB:)`.
    public static func verify(
        password: String,
        encoded: String,
        memoryLimitKiB: UInt32 = defaultVerificationMemoryLimitKiB
    ) throws(Argon2Error) -> Bool {
        try verify(password: Array(password.utf8), encoded: encoded, memoryLimitKiB: memoryLimitKiB)
    }

    /// Maps a libargon2 status to `Argon2Error`; libargon2's messages describe the failure, not the inputs.
    private static func error(_ status: Int32) -> Argon2Error {
        let text = String(cString: argon2_error_message(status))
        switch argon2_error_codes(rawValue: status) {
        case ARGON2_DECODING_FAIL, ARGON2_DECODING_LENGTH_FAIL, ARGON2_INCORRECT_TYPE:
            return Argon2Error(code: .malformedEncoding, message: "encoded hash: \(text)")
        case ARGON2_MEMORY_ALLOCATION_ERROR:
            return Argon2Error(code: .outOfMemory, message: text)
        case ARGON2_OUTPUT_TOO_SHORT, ARGON2_OUTPUT_TOO_LONG, ARGON2_SALT_TOO_SHORT, ARGON2_SALT_TOO_LONG,
            ARGON2_TIME_TOO_SMALL, ARGON2_TIME_TOO_LARGE, ARGON2_MEMORY_TOO_LITTLE, ARGON2_MEMORY_TOO_MUCH,
            ARGON2_LANES_TOO_FEW, ARGON2_LANES_TOO_MANY, ARGON2_THREADS_TOO_FEW, ARGON2_THREADS_TOO_MANY,
            ARGON2_PWD_TOO_LONG:
            return Argon2Error(code: .invalidParameters, message: text)
        default:
            return Argon2Error(code: .hashingFailed, message: "\(text) (libargon2 status \(status))")
        }
    }
}
