internal import CLibPQ
import Logging

/// Receives a connection's notices from libpq (`PQsetNoticeReceiver`), logs them, and passes them on.
///
/// Owned by the `PostgresSession` next to its connection, which it outlives: libpq keeps only an
/// unretained pointer to it, and the session closes the connection before releasing the sink.
final class NoticeSink {
    private let logger: Logger
    private let handler: (@Sendable (PostgresNotice) -> Void)?

    init(logger: Logger, handler: (@Sendable (PostgresNotice) -> Void)?) {
        self.logger = logger
        self.handler = handler
    }

    /// Installs this sink as the connection's notice receiver.
    func install(on connection: OpaquePointer) {
        PQsetNoticeReceiver(connection, noticeReceiverTrampoline, Unmanaged.passUnretained(self).toOpaque())
    }

    fileprivate func receive(_ result: OpaquePointer) {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let notice = PostgresNotice(
            severity: field("V") ?? field("S") ?? "NOTICE", code: SQLState(rawValue: field("C") ?? "00000"),
            message: field("M") ?? "")
        let level: Logger.Level = notice.severity == "WARNING" ? .warning : (notice.severity == "NOTICE" ? .info : .debug)
        var metadata: Logger.Metadata = ["postgres.severity": "\(notice.severity)", "postgres.sqlstate": "\(notice.code)"]
        if logger.logLevel <= .debug { metadata["postgres.message"] = "\(notice.message)" }
        logger.log(level: level, "PostgreSQL notice", metadata: metadata)
        handler?(notice)
    }
}

/// libpq's notice callback: recovers the sink from `arg`; nothing here can throw into C.
private func noticeReceiverTrampoline(_ argument: UnsafeMutableRawPointer?, _ result: OpaquePointer?) {
    guard let argument, let result else { return }
    Unmanaged<NoticeSink>.fromOpaque(argument).takeUnretainedValue().receive(result)
}
