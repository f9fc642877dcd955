package io.quarkiverse.hangfire.runtime.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Encrypts and decrypts the stored values of sensitive job arguments with AES-256-GCM. A stored value is the text
 * {@code enc:v1:<key id>:<base64 of nonce | ciphertext | tag>}, with a fresh 96-bit nonce per value. The associated
 * data binds it to its slot (format, key id, job name, argument position), so a value moved to another job method
 * or argument fails authentication instead of being decrypted there.
 * <p>
 * The keys and the random source live in this bean, created when the application starts: a {@link SecureRandom}
 * seeded while a native image is built would repeat its nonces in every process.
 */
@Singleton
public class ArgumentCipher {

    /** What every stored encrypted value starts with; the dashboard hides any argument that does. */
    public static final String PREFIX = "enc:";
    private static final String V1 = PREFIX + "v1:";
    private static final String ALGORITHM = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String KEYS = "quarkus.hangfire.encryption.keys";
    private static final String ACTIVE = "quarkus.hangfire.encryption.active-key";

    private final Map<String, SecretKey> keys;
    private final String activeKey;
    private final SecureRandom random;

    @Inject
    public ArgumentCipher(HangfireConfig config) {
        this(config.encryption().keys(), config.encryption().activeKey().orElse(null));
    }

    /** Checks the configured keys; a wrong one fails startup, naming it. */
    ArgumentCipher(Map<String, String> configured, String active) {
        Map<String, SecretKey> parsed = new LinkedHashMap<>();
        configured.forEach((id, base64) -> parsed.put(id, key(id, base64)));
        if (active != null && !parsed.containsKey(active.trim())) {
            throw new ConfigurationException(ACTIVE + " is '" + active + "', but no key has that id; configured keys: "
                    + parsed.keySet() + " (set them as " + KEYS + ".\"<id>\")");
        }
        if (active == null && parsed.size() > 1) {
            throw new ConfigurationException("Several encryption keys are configured " + parsed.keySet() + "; set " + ACTIVE
                    + " to the id of the one that encrypts new values");
        }
        this.keys = Map.copyOf(parsed);
        this.activeKey = active != null ? active.trim() : parsed.isEmpty() ? null : parsed.keySet().iterator().next();
        this.random = new SecureRandom();
    }

    private static SecretKey key(String id, String base64) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new ConfigurationException("The encryption key id '" + id + "' (" + KEYS + ".\"" + id + "\") is invalid;"
                    + " key ids are 1 to 64 letters, digits, '.', '_' or '-'");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(KEYS + ".\"" + id + "\" is not valid base64; give 32 random bytes in base64,"
                    + " for example from 'openssl rand -base64 32'");
        }
        if (bytes.length != KEY_BYTES) {
            throw new ConfigurationException(KEYS + ".\"" + id + "\" decodes to " + bytes.length + " bytes; an AES-256 key"
                    + " is 32 bytes (44 characters of base64, for example from 'openssl rand -base64 32')");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    /** Fails startup when jobs with sensitive parameters exist and no key is configured. */
    public void requireKeyFor(Collection<String> jobsWithSensitiveArguments) {
        if (activeKey == null && !jobsWithSensitiveArguments.isEmpty()) {
            throw new ConfigurationException("These jobs have @Sensitive parameters, whose values are encrypted before they"
                    + " are stored, but no encryption key is configured: " + jobsWithSensitiveArguments + ". Configure one"
                    + " with " + KEYS + ".\"<id>\"=<base64 of 32 random bytes> (for example from 'openssl rand -base64 32')");
        }
    }

    /** Whether a stored argument is in the encrypted form (the text of a JSON string). */
    public static boolean isEncrypted(String storedText) {
        return storedText != null && storedText.startsWith(PREFIX);
    }

    /**
     * Encrypts the JSON of one argument.
     *
     * @param position the argument's position among the stored arguments
     * @param argument "Argument 1 (token) of job Jobs.send", for messages
     */
    public String encrypt(String jobName, int position, String json, String argument) {
        if (activeKey == null) {
            throw new IllegalStateException(argument + " is sensitive, but no encryption key is configured (" + KEYS + ")");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(ALGORITHM);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKey), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(activeKey, jobName, position));
            byte[] sealed = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
            byte[] stored = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return V1 + activeKey + ":" + Base64.getEncoder().encodeToString(stored);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available to encrypt " + argument + ": " + e, e);
        }
    }

    /** Decrypts a value {@link #encrypt} made for the same job name and position, back to its JSON. */
    public String decrypt(String jobName, int position, String stored, String argument) {
        int colon = stored.indexOf(':', V1.length());
        if (!stored.startsWith(V1) || colon < 0) {
            throw new ArgumentDecryptionException(argument + " is stored encrypted in a form this version does not read"
                    + " (expected enc:v1:<key id>:<data>); it was altered in the database", false);
        }
        String keyId = stored.substring(V1.length(), colon);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new ArgumentDecryptionException(argument + " was encrypted with the key '" + keyId + "', which is not"
                    + " configured here (configured: " + keys.keySet() + "); add it back as " + KEYS + ".\"" + keyId
                    + "\" and the job's next retry can run", true);
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            data = new byte[0];
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new ArgumentDecryptionException(argument + " cannot be decrypted: its stored data is truncated or not"
                    + " base64; it was altered in the database", false);
        }
        try {
            Cipher cipher = Cipher.getInstance(ALGORITHM);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(keyId, jobName, position));
            return new String(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new ArgumentDecryptionException(argument + " cannot be decrypted: it fails authentication, so it was"
                    + " altered in the database, moved there from another job or argument, or the key '" + keyId
                    + "' is not the key it was encrypted with", false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available to decrypt " + argument + ": " + e, e);
        }
    }

    /** The slot a value belongs to; NUL separates the parts, which never contain one. */
    private static byte[] associatedData(String keyId, String jobName, int position) {
        return ("hangfire-argument\0v1\0" + keyId + "\0" + jobName + "\0" + position).getBytes(StandardCharsets.UTF_8);
    }
}
