internal import AudoticsTLS
public import FoundationEssentials

extension SigningKeySet {
    /// The file name of the current key in a development key folder.
    public static let developmentCurrentKeyFile = "current.pem"
    /// The folder, inside a development key folder, that holds the public PEM of each retired key.
    public static let developmentRetiredFolder = "retired"

    /// Loads the current key from an unencrypted PKCS#8 PEM file and retired keys from PEM files (public keys, or
    /// private keys of which only the public half is used), given newest first. Key IDs are RFC 7638 thumbprints.
    ///
    /// Reads files synchronously: call it at start-up, not on an event loop.
    public static func load(currentKeyFile: String, retiredKeyFiles: [String] = []) throws(AuthError) -> SigningKeySet {
        let current = try SigningKey(pemRepresentation: KeyFiles.read(currentKeyFile))
        var retired: [VerificationKey] = []
        for file in retiredKeyFiles { retired.append(try VerificationKey(pemFile: file)) }
        return try SigningKeySet(current: current, retired: retired)
    }

    /// For local development: loads `folder/current.pem` and `folder/retired/*.pem` (newest first by name), first
    /// generating the folder and a new current key (written with mode 0600) when there is none.
    public static func loadOrCreateDevelopmentKeys(in folder: String) throws(AuthError) -> SigningKeySet {
        let currentPath = folder + "/" + developmentCurrentKeyFile
        if !FileManager.default.fileExists(atPath: currentPath) {
            // Several processes may start on an empty folder at once (tools/up): one key wins, all load it.
            try KeyFiles.createFolder(folder)
            _ = try KeyFiles.createIfAbsent(currentPath, contents: SigningKey.generate().privateKeyPEM())
        }
        return try load(currentKeyFile: currentPath, retiredKeyFiles: KeyFiles.pemFiles(in: folder + "/" + developmentRetiredFolder))
    }

    /// For local development: moves the current key's public half to `folder/retired/<seconds>-<kid>.pem`, writes a new
    /// current key, and returns the new set (the old key keeps verifying until its file is deleted).
    public static func rotateDevelopmentKeys(in folder: String, now: Date = Date()) throws(AuthError) -> SigningKeySet {
        let old = try loadOrCreateDevelopmentKeys(in: folder)
        let retiredFolder = folder + "/" + developmentRetiredFolder
        try KeyFiles.createFolder(retiredFolder)
        let seconds = String(Int64(now.timeIntervalSince1970))
        let stamp = String(repeating: "0", count: max(0, 12 - seconds.count)) + seconds
        try KeyFiles.writeNew(retiredFolder + "/\(stamp)-\(old.current.keyID).pem", contents: old.current.verificationKey.publicKeyPEM())
        let next = try SigningKey.generate()
        try KeyFiles.replace(folder + "/" + developmentCurrentKeyFile, contents: next.privateKeyPEM())
        return try loadOrCreateDevelopmentKeys(in: folder)
    }
}

extension SigningKey {
    /// The private key as PKCS#8 PEM, for writing a key file. Secret.
    func privateKeyPEM() throws(AuthError) -> String {
        do { return try privateKey.pemRepresentation() } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot encode a private key as PEM", cause: error)
        }
    }
}

extension VerificationKey {
    /// Loads a key from a PEM file holding a public key or an Ed25519 private key (only its public half is kept).
    public init(pemFile path: String, keyID: String? = nil) throws(AuthError) {
        let pem = try KeyFiles.read(path)
        if let publicKey = try? Ed25519PublicKey(pemRepresentation: pem) {
            try self.init(publicKey: publicKey, keyID: keyID)
        } else {
            let signingKey: SigningKey
            do { signingKey = try SigningKey(pemRepresentation: pem, keyID: keyID) } catch {
                throw AuthError(code: .keyLoadFailed, message: "\(path) holds no Ed25519 key in PEM")
            }
            self = signingKey.verificationKey
        }
    }

    /// The public key as SubjectPublicKeyInfo PEM (what PyJWT and `openssl pkey -pubin` read).
    public func publicKeyPEM() throws(AuthError) -> String {
        do { return try publicKey.pemRepresentation() } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot encode a public key as PEM", cause: error)
        }
    }
}
