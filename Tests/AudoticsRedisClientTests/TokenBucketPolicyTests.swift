@testable import AudoticsRedisClient
import Testing

@Suite("TokenBucketPolicy and the in-process fallback")
struct TokenBucketPolicyTests {
    @Test("a full bucket allows a burst of its capacity, then says exactly when the next token comes")
    func arithmetic() {
        let policy = TokenBucketPolicy(capacity: 3, refillPerSecond: 2)
        var tokens: Double? = nil
        for expected in [2, 1, 0] {
            let step = policy.take(tokens: tokens, elapsed: .zero, cost: 1)
            #expect(step.decision == .allowed(remaining: expected))
            tokens = step.tokens
        }
        #expect(policy.take(tokens: tokens, elapsed: .zero, cost: 1).decision == .limited(retryAfter: .milliseconds(500)))
        #expect(policy.take(tokens: tokens, elapsed: .milliseconds(200), cost: 1).decision == .limited(retryAfter: .milliseconds(300)))
        #expect(policy.take(tokens: tokens, elapsed: .milliseconds(500), cost: 1).decision == .allowed(remaining: 0))
        #expect(policy.take(tokens: 0, elapsed: .seconds(60), cost: 1).decision == .allowed(remaining: 2))  // capped
    }

    @Test("local buckets enforce the policy per key and stay within their key bound")
    func local() {
        let policy = TokenBucketPolicy(capacity: 2, refillPerSecond: 1)
        var buckets = LocalTokenBuckets(maximumKeys: 3)
        let now = ContinuousClock.now
        let value1 = buckets.take("a", cost: 1, policy: policy, now: now)
        #expect(value1.isAllowed)
        let value2 = buckets.take("a", cost: 1, policy: policy, now: now)
        #expect(value2.isAllowed)
        let value3 = buckets.take("a", cost: 1, policy: policy, now: now)
        #expect(value3 == .limited(retryAfter: .seconds(1)))
        let value4 = buckets.take("b", cost: 2, policy: policy, now: now)
        #expect(value4.isAllowed)
        for index in 0..<10 { _ = buckets.take("k\(index)", cost: 1, policy: policy, now: now + .milliseconds(index)) }
        #expect(buckets.count <= 3)
    }
}
