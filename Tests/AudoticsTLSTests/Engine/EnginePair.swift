@testable import AudoticsTLS

/// A client and a server engine wired back to back in memory: `pump` moves ciphertext both ways and
/// collects what each side decrypts, until neither has anything left to send.
struct EnginePair {
    /// What one side saw: decrypted bytes, whether close_notify arrived, and the error that failed it.
    struct Side {
        let engine: TLSEngine
        var received: [UInt8] = []
        var endOfStream = false
        var error: TLSError?
    }

    var client: Side
    var server: Side
    /// Reused between rounds so pumping does not allocate per round.
    private var wire: [UInt8] = []

    init(client: TLSEngine, server: TLSEngine) {
        self.client = Side(engine: client)
        self.server = Side(engine: server)
    }

    /// Pumps until quiet, handing each side its ciphertext in pieces of at most `chunkSize` bytes.
    /// A failed side stops receiving, but its pending ciphertext (the alert) still reaches the other.
    mutating func pump(chunkSize: Int = .max, maxRounds: Int = 10_000) {
        for _ in 0..<maxRounds {
            let toServer = Self.transfer(from: client.engine, to: &server, through: &wire, chunkSize: chunkSize)
            let toClient = Self.transfer(from: server.engine, to: &client, through: &wire, chunkSize: chunkSize)
            Self.read(&server)
            Self.read(&client)
            if !toServer && !toClient && client.engine.pendingCiphertextCount == 0 && server.engine.pendingCiphertextCount == 0 {
                return
            }
        }
    }

    /// Whether both sides finished the handshake without errors.
    var isEstablished: Bool {
        client.error == nil && server.error == nil && client.engine.isHandshakeComplete && server.engine.isHandshakeComplete
    }

    private static func transfer(from sender: TLSEngine, to receiver: inout Side, through wire: inout [UInt8], chunkSize: Int) -> Bool {
        wire.removeAll(keepingCapacity: true)
        sender.drainCiphertext(into: &wire)
        guard !wire.isEmpty else { return false }
        guard receiver.error == nil else { return true }
        var start = 0
        while start < wire.count {
            let end = min(wire.count, start + chunkSize)
            let engine = receiver.engine
            let failure: TLSError? = wire.withUnsafeBytes { bytes -> TLSError? in
                do throws(TLSError) {
                    try engine.receive(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    return nil
                } catch {
                    return error
                }
            }
            if let failure {
                receiver.error = failure
                return true
            }
            start = end
        }
        return true
    }

    private static func read(_ side: inout Side) {
        guard side.error == nil else { return }
        do {
            if try side.engine.readPlaintext(into: &side.received) == .endOfStream { side.endOfStream = true }
        } catch {
            side.error = error
        }
    }
}
