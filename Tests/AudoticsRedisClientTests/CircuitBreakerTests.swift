@testable import AudoticsRedisClient
import Testing

@Suite("CircuitBreaker")
struct CircuitBreakerTests {
    let start = ContinuousClock.now

    @Test("opens after the threshold of consecutive failures, probes after the open duration, closes on success")
    func cycle() {
        var breaker = CircuitBreaker(policy: RedisCircuitBreakerPolicy(failureThreshold: 3, openDuration: .seconds(1)))
        let value1 = breaker.admit(now: start)
        #expect(value1 == .allow)
        let value2 = breaker.recordFailure(now: start)
        #expect(!value2)
        let value3 = breaker.recordFailure(now: start)
        #expect(!value3)
        _ = breaker.recordSuccess()  // a success in between resets the count
        let value4 = breaker.recordFailure(now: start)
        #expect(!value4)
        let value5 = breaker.recordFailure(now: start)
        #expect(!value5)
        let value6 = breaker.recordFailure(now: start)
        #expect(value6)
        let value7 = breaker.admit(now: start + .milliseconds(400))
        #expect(value7 == .reject(retryAfter: .milliseconds(600)))
        let value8 = breaker.admit(now: start + .seconds(1))
        #expect(value8 == .probe)
        guard case .reject = breaker.admit(now: start + .seconds(1)) else {
            Issue.record("a second probe while the first is in flight")
            return
        }
        let value9 = breaker.recordSuccess()
        #expect(value9)
        let value10 = breaker.admit(now: start + .seconds(1))
        #expect(value10 == .allow)
    }

    @Test("a failed probe reopens the breaker; an abandoned one lets the next command probe")
    func failedProbe() {
        var breaker = CircuitBreaker(policy: RedisCircuitBreakerPolicy(failureThreshold: 1, openDuration: .seconds(1)))
        let value11 = breaker.recordFailure(now: start)
        #expect(value11)
        let value12 = breaker.admit(now: start + .seconds(1))
        #expect(value12 == .probe)
        let value13 = breaker.recordFailure(now: start + .seconds(1))
        #expect(value13)
        let value14 = breaker.admit(now: start + .milliseconds(1500))
        #expect(value14 == .reject(retryAfter: .milliseconds(500)))
        let value15 = breaker.admit(now: start + .seconds(2))
        #expect(value15 == .probe)
        breaker.probeAbandoned(now: start + .seconds(2))
        let value16 = breaker.admit(now: start + .seconds(2))
        #expect(value16 == .probe)
    }
}
