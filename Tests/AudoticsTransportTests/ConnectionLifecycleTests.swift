@testable import AudoticsTransport
import Testing

@Suite("ConnectionLifecycle: idle, age, graceful shutdown, ping abuse")
struct ConnectionLifecycleTests {
    let policy = GRPCServerConfiguration.ConnectionPolicy(minPingIntervalWithoutCalls: .seconds(300), maxPingStrikes: 2)

    @Test("shutdown: notice, final GOAWAY after the ping ack, close when the last stream ends")
    func gracefulShutdown() {
        var lifecycle = ConnectionLifecycle(policy: policy)
        lifecycle.streamOpened()
        #expect(lifecycle.shutdownRequested() == [.sendShutdownNotice])
        #expect(!lifecycle.isAcceptingStreams)
        #expect(lifecycle.shutdownRequested().isEmpty, "a second request changes nothing")
        #expect(lifecycle.pingAcknowledged() == [.sendGoAway(errorCode: 0)])
        #expect(lifecycle.streamClosed() == [.close])
    }

    @Test("shutdown without streams closes right after the final GOAWAY")
    func shutdownIdle() {
        var lifecycle = ConnectionLifecycle(policy: policy)
        #expect(lifecycle.shutdownRequested() == [.sendShutdownNotice])
        #expect(lifecycle.pingAcknowledged() == [.sendGoAway(errorCode: 0), .close])
    }

    @Test("the grace period ends calls that are still running")
    func graceExpiry() {
        var lifecycle = ConnectionLifecycle(policy: policy)
        lifecycle.streamOpened()
        _ = lifecycle.maxAgeReached()
        #expect(lifecycle.graceExpired() == [.sendGoAway(errorCode: 0), .close])
        #expect(lifecycle.graceExpired().isEmpty)
    }

    @Test("idle timeout only applies to connections without streams")
    func idle() {
        var lifecycle = ConnectionLifecycle(policy: policy)
        lifecycle.streamOpened()
        #expect(lifecycle.idleTimeout().isEmpty)
        #expect(lifecycle.streamClosed().isEmpty)
        #expect(lifecycle.idleTimeout() == [.sendShutdownNotice])
    }

    @Test("pings too often without calls earn strikes, then ENHANCE_YOUR_CALM")
    func pingAbuse() {
        var lifecycle = ConnectionLifecycle(policy: policy)
        let start = ContinuousClock.now
        #expect(lifecycle.pingReceived(at: start).isEmpty)
        #expect(lifecycle.pingReceived(at: start + .seconds(1)).isEmpty)
        #expect(lifecycle.pingReceived(at: start + .seconds(2)).isEmpty)
        #expect(lifecycle.pingReceived(at: start + .seconds(3)) == [.sendGoAway(errorCode: 0xB), .close])
    }

    @Test("pings during calls, or spaced out, are fine")
    func pingsAllowed() {
        var lifecycle = ConnectionLifecycle(policy: policy)
        let start = ContinuousClock.now
        lifecycle.streamOpened()
        for second in 0..<10 { #expect(lifecycle.pingReceived(at: start + .seconds(second)).isEmpty) }
        _ = lifecycle.streamClosed()
        for step in 1...5 { #expect(lifecycle.pingReceived(at: start + .seconds(10 + 301 * step)).isEmpty) }
    }
}
