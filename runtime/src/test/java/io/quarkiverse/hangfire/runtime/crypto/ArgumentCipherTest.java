package io.quarkiverse.hangfire.runtime.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.ConfigurationException;

/** The stored form, its binding to the slot, rotation, and the key checks. */
class ArgumentCipherTest {

    static final String OLD = Base64.getEncoder().encodeToString(new byte[32]);
    static final String NEW = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String WHAT = "Argument 2 (token) of job Jobs.send";

    final ArgumentCipher cipher = new ArgumentCipher(Map.of("old", OLD, "new", NEW), "new");

    @Test
    void roundTripWithAFreshNonceEachTime() {
        String first = cipher.encrypt("Jobs.send", 1, "\"s3cret\"", WHAT);
        String second = cipher.encrypt("Jobs.send", 1, "\"s3cret\"", WHAT);
        assertThat(first).startsWith("enc:v1:new:").doesNotContain("s3cret").isNotEqualTo(second);
        assertThat(ArgumentCipher.isEncrypted(first)).isTrue();
        assertThat(cipher.decrypt("Jobs.send", 1, first, WHAT)).isEqualTo("\"s3cret\"");
        assertThat(cipher.decrypt("Jobs.send", 1, second, WHAT)).isEqualTo("\"s3cret\"");
    }

    @Test
    void valuesOfARotatedOutKeyDecryptWhileItIsConfigured() {
        String written = new ArgumentCipher(Map.of("old", OLD), null).encrypt("Jobs.send", 1, "42", WHAT);
        assertThat(written).startsWith("enc:v1:old:");
        assertThat(cipher.decrypt("Jobs.send", 1, written, WHAT)).isEqualTo("42");
        assertThatThrownBy(() -> new ArgumentCipher(Map.of("new", NEW), null).decrypt("Jobs.send", 1, written, WHAT))
                .isInstanceOf(ArgumentDecryptionException.class)
                .hasMessage(WHAT + " was encrypted with the key 'old', which is not configured here (configured: [new]);"
                        + " add it back as quarkus.hangfire.encryption.keys.\"old\" and the job's next retry can run")
                .matches(e -> ((ArgumentDecryptionException) e).retryable());
    }

    @Test
    void aValueDoesNotDecryptInAnotherSlotOrWhenAltered() {
        String stored = cipher.encrypt("Jobs.send", 1, "\"s3cret\"", WHAT);
        String altered = stored.substring(0, stored.length() - 3) + (stored.charAt(stored.length() - 3) == 'A' ? 'B' : 'A')
                + stored.substring(stored.length() - 2);
        for (Runnable attempt : List.<Runnable> of(() -> cipher.decrypt("Jobs.send", 2, stored, WHAT),
                () -> cipher.decrypt("Jobs.other", 1, stored, WHAT), () -> cipher.decrypt("Jobs.send", 1, altered, WHAT),
                () -> cipher.decrypt("Jobs.send", 1, stored.replace(":new:", ":old:"), WHAT))) {
            assertThatThrownBy(attempt::run).isInstanceOf(ArgumentDecryptionException.class)
                    .hasMessageStartingWith(WHAT + " cannot be decrypted: it fails authentication")
                    .matches(e -> !((ArgumentDecryptionException) e).retryable());
        }
        assertThatThrownBy(() -> cipher.decrypt("Jobs.send", 1, "enc:v2:new:AAAA", WHAT))
                .hasMessageContaining("in a form this version does not read");
        assertThatThrownBy(() -> cipher.decrypt("Jobs.send", 1, "enc:v1:new:AAAA", WHAT))
                .hasMessageContaining("truncated or not base64");
    }

    @Test
    void keysAreCheckedWhenTheApplicationStarts() {
        assertThatThrownBy(() -> new ArgumentCipher(Map.of("k", "not base64!"), null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("quarkus.hangfire.encryption.keys.\"k\" is not valid base64; give 32 random bytes in base64,"
                        + " for example from 'openssl rand -base64 32'");
        assertThatThrownBy(() -> new ArgumentCipher(Map.of("a:b", NEW), null)).hasMessageContaining("key id 'a:b'");
        assertThatThrownBy(() -> new ArgumentCipher(Map.of("old", OLD, "new", NEW), null))
                .hasMessageContaining("set quarkus.hangfire.encryption.active-key");
        assertThatThrownBy(() -> new ArgumentCipher(Map.of("old", OLD), "new"))
                .hasMessageContaining("quarkus.hangfire.encryption.active-key is 'new', but no key has that id");
        assertThatThrownBy(() -> new ArgumentCipher(Map.of(), null).requireKeyFor(List.of("Jobs.send")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("[Jobs.send]");
        new ArgumentCipher(Map.of(), null).requireKeyFor(List.of());
    }
}
