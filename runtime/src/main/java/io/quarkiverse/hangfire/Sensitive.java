package io.quarkiverse.hangfire;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a parameter of a {@link BackgroundJob} method whose value is encrypted before it is stored: a password,
 * an access token, a card number.
 * <p>
 * The value is encrypted with AES-256-GCM under the key named by {@code quarkus.hangfire.encryption.active-key}
 * when the job is created (enqueued, scheduled, chained, or added as a recurring job), and stored as the JSON
 * string {@code "enc:v1:<key id>:<base64>"}. It is decrypted only to call the method, by the worker that runs the
 * job or by {@link JobScheduler#perform(String)}. The monitoring API and the dashboard show it as {@code ***},
 * and the dashboard's text search cannot find it. The ciphertext is bound to its job name and argument position,
 * so it cannot be moved to another job method or another argument.
 * <p>
 * The application fails to start when a job method has a sensitive parameter and no encryption key is configured.
 * The build fails when this annotation is on a parameter of a method that is not a {@link BackgroundJob}, on a
 * {@link JobContext} parameter, or on a parameter used in {@link BackgroundJob#mutex()}.
 * <p>
 * The configuration key {@code quarkus.hangfire.sensitive-parameters} marks parameters the same way without
 * changing their code. Job parameters ({@link JobScheduler#setJobParameter}), job results, log lines and
 * exception messages are not encrypted: do not put secrets in them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Sensitive {
}
