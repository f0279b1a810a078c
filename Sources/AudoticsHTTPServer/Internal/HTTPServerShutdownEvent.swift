/// Asks a connection to finish what it is doing and close (sent by `HTTPServer.stop(gracePeriod:)`).
struct HTTPServerShutdownEvent: Sendable {}
