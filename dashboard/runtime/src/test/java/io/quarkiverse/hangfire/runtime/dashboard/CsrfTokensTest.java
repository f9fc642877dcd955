package io.quarkiverse.hangfire.runtime.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class CsrfTokensTest {

    private static final byte[] KEY = "a-key-for-this-test-only-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String ALICE = CsrfTokens.subject("alice");

    private final CsrfTokens tokens = new CsrfTokens(KEY, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aTokenIsAcceptedForItsOwnSubjectOnly() {
        String token = tokens.issue(ALICE);
        assertThat(tokens.age(token, ALICE)).contains(Duration.ZERO);
        assertThat(tokens.age(token, CsrfTokens.subject("bob"))).isEmpty();
        assertThat(tokens.age(token, CsrfTokens.subject("Alice"))).isEmpty();
        assertThat(tokens.age(token, CsrfTokens.subject(null))).isEmpty();
        // a user named like the anonymous marker is still someone else
        assertThat(tokens.age(tokens.issue(CsrfTokens.subject(null)), CsrfTokens.subject("anonymous"))).isEmpty();
    }

    @Test
    void eachTokenIsNew() {
        assertThat(tokens.issue(ALICE)).isNotEqualTo(tokens.issue(ALICE));
    }

    @Test
    void anotherKeyOrAnyChangeMakesItWorthless() {
        String token = tokens.issue(ALICE);
        CsrfTokens otherKey = new CsrfTokens("another-key-for-this-test-0123456789".getBytes(StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(otherKey.age(token, ALICE)).isEmpty();
        for (int i = 0; i < token.length(); i++) {
            char changed = token.charAt(i) == 'A' ? 'B' : 'A';
            String altered = token.substring(0, i) + changed + token.substring(i + 1);
            assertThat(tokens.age(altered, ALICE)).as(altered).isEmpty();
        }
        for (String junk : new String[] { null, "", "abc", "1.2.3", "..", token + ".", token + "x", "x".repeat(10_000),
                "99999999999999999999." + token.substring(token.indexOf('.') + 1) }) {
            assertThat(tokens.age(junk, ALICE)).as(junk).isEmpty();
        }
    }

    @Test
    void aTokenExpiresAfterItsLifetime() {
        String token = tokens.issue(ALICE);
        assertThat(at(NOW.plus(CsrfTokens.RENEW_AFTER)).age(token, ALICE)).contains(CsrfTokens.RENEW_AFTER);
        assertThat(at(NOW.plus(CsrfTokens.LIFETIME).minusSeconds(1)).age(token, ALICE)).isPresent();
        assertThat(at(NOW.plus(CsrfTokens.LIFETIME)).age(token, ALICE)).isEmpty();
        // from an instance whose clock runs a little ahead: accepted; far ahead: not
        assertThat(at(NOW.minusSeconds(60)).age(token, ALICE)).contains(Duration.ZERO);
        assertThat(at(NOW.minus(Duration.ofHours(1))).age(token, ALICE)).isEmpty();
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new CsrfTokens(new byte[31], Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes");
    }

    @Test
    void aRandomKeyIsLongEnoughAndDifferentEachTime() {
        assertThat(CsrfTokens.randomKey()).hasSizeGreaterThanOrEqualTo(CsrfTokens.MIN_KEY_BYTES)
                .isNotEqualTo(CsrfTokens.randomKey());
    }

    private static CsrfTokens at(Instant now) {
        return new CsrfTokens(KEY, Clock.fixed(now, ZoneOffset.UTC));
    }
}
