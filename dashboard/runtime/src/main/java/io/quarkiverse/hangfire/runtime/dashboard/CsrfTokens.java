package io.quarkiverse.hangfire.runtime.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's CSRF tokens. A token is issued by the server and names its holder: it carries its issue time and
 * an HMAC-SHA256, under the application's key, of that time and the user it was issued to. A value the client made
 * up, a cookie planted by a neighbouring site, a token issued to another user or under another key, and a token
 * older than {@link #LIFETIME} are all refused.
 * <p>
 * A token reads {@code <issued epoch seconds>.<nonce>.<mac>}, the last two base64url: characters a cookie carries
 * as they are.
 */
public final class CsrfTokens {

    /** How long a token is accepted. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    /** A page load re-issues a token this old, so that an open dashboard seldom meets an expired one. */
    public static final Duration RENEW_AFTER = LIFETIME.dividedBy(2);
    /** The shortest key accepted: HMAC-SHA256's own block of strength. */
    public static final int MIN_KEY_BYTES = 32;
    /** What a token is bound to when nobody is logged in (a local request in dev mode). */
    public static final String ANONYMOUS = "anonymous";

    /** Other instances' clocks may run a little ahead of this one. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,12})\\.([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** @param key at least {@link #MIN_KEY_BYTES} bytes */
    public CsrfTokens(byte[] key, Clock clock) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("A CSRF key needs at least " + MIN_KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.clock = clock;
    }

    /** A key for one process: tokens signed with it do not survive a restart or work on another instance. */
    static byte[] randomKey() {
        byte[] key = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** The subject a token is bound to: the user's name, or {@link #ANONYMOUS} for null. */
    public static String subject(String user) {
        // the prefix keeps a user who happens to be called "anonymous" apart from nobody
        return user == null ? ANONYMOUS : "user:" + user;
    }

    /** A new token for this subject. */
    public String issue(String subject) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String issued = Long.toString(clock.instant().getEpochSecond());
        String payload = issued + "." + base64(nonce);
        return payload + "." + base64(mac(payload, subject));
    }

    /**
     * How old the token is, if this server issued it to this subject and it has not expired; empty for anything
     * else, including text that is not a token at all.
     */
    public Optional<Duration> age(String token, String subject) {
        if (token == null || subject == null) {
            return Optional.empty();
        }
        var parts = FORMAT.matcher(token);
        if (!parts.matches()) {
            return Optional.empty();
        }
        // compared as text: one token, one spelling (base64 leaves spare bits in the last character)
        String expected = base64(mac(parts.group(1) + "." + parts.group(2), subject));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                parts.group(3).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Duration age = Duration.between(Instant.ofEpochSecond(Long.parseLong(parts.group(1))), clock.instant());
        if (age.compareTo(LIFETIME) >= 0 || age.compareTo(CLOCK_SKEW.negated()) < 0) {
            return Optional.empty();
        }
        return Optional.of(age.isNegative() ? Duration.ZERO : age);
    }

    private byte[] mac(String payload, String subject) {
        try {
            // Mac instances are not thread safe, and cheap to make
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((payload + "\n" + subject).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
