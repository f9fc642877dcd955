package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.details;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Sensitive arguments ({@code @Sensitive}, or named in {@code quarkus.hangfire.sensitive-parameters}) reach the
 * worker in clear, and are ciphertext everywhere else: in the tables, the monitoring API, the dashboard and its
 * search. Values written with a rotated-out key still decrypt; altered or moved values fail the job, naming it.
 */
@QuarkusTest
class SensitiveArgumentsTest {

    private static final String CARD = "4111-1111-1111-1111";
    private static final int PIN = 918273;
    private static final Pattern ENCRYPTED = Pattern.compile("\"(enc:v1:([^:\"]+):([A-Za-z0-9+/=]+))\"");

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theWorkerGetsTheClearValuesAndNothingElseShowsThem() throws Exception {
        String key = key("charge");
        String id = jobs.enqueue(TestJobs.class, j -> j.charge(key, CARD, PIN));
        JobDetails done = awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.values(key)).containsExactly(CARD, PIN);

        String stored = column("SELECT arguments FROM hangfire_job WHERE id = ?", Long.parseLong(id));
        assertThat(stored).doesNotContain(CARD).doesNotContain(Integer.toString(PIN)).contains(key);
        assertThat(encrypted(stored)).hasSize(2).allSatisfy(e -> assertThat(e.keyId).isEqualTo("2026-11"));

        assertThat(done.arguments()).containsExactly("\"" + key + "\"", "***", "***");

        String json = admin().get("/api/jobs/" + id).then().statusCode(200).extract().asString();
        assertThat(json).doesNotContain(CARD).doesNotContain(Integer.toString(PIN)).doesNotContain("enc:v1");
        JsonPath job = JsonPath.from(json);
        assertThat(job.getList("arguments.value", String.class)).containsExactly("\"" + key + "\"", "***", "***");
        assertThat(job.getList("arguments.name", String.class)).containsExactly("key", "cardNumber", "pin");

        JsonPath found = admin().get("/api/jobs?text=" + key).then().statusCode(200).extract().jsonPath();
        assertThat(found.getLong("total")).isEqualTo(1);
        assertThat(found.getString("jobs[0].arguments")).isEqualTo("[\"" + key + "\", ***, ***]");
        for (String secret : List.of(CARD, "1111-1111", Integer.toString(PIN))) {
            assertThat(admin().get("/api/jobs?text=" + secret).then().statusCode(200).extract().jsonPath().getLong("total"))
                    .as("a search for %s", secret).isZero();
        }
    }

    @Test
    void byNameWithAContextAndThroughPerform() throws Exception {
        String key = key("sign-in");
        String id = jobs.schedule("TestJobs.signIn", Duration.ofHours(1), key, "correct horse battery staple");
        String stored = column("SELECT arguments FROM hangfire_job WHERE id = ?", Long.parseLong(id));
        assertThat(stored).doesNotContain("horse");
        assertThat(encrypted(stored)).hasSize(1);
        assertThat(details(jobs, id).arguments()).containsExactly("\"" + key + "\"", "***");

        assertThat(jobs.perform(id)).isEqualTo(JobState.SUCCEEDED);
        assertThat(executions.values(key)).containsExactly("correct horse battery staple");
    }

    @Test
    void recurringJobsStoreAndCopyTheCiphertext() throws Exception {
        String recurringId = key("it-sensitive");
        String key = key("recurring-charge");
        jobs.recurring().addOrUpdate(recurringId, TestJobs.class, j -> j.charge(key, CARD, PIN), "0 0 3 1 1 *");
        try {
            String stored = column("SELECT arguments FROM hangfire_recurring_job WHERE id = ?", recurringId);
            assertThat(stored).doesNotContain(CARD).doesNotContain(Integer.toString(PIN));
            assertThat(encrypted(stored)).hasSize(2);
            RecurringJobInfo info = jobs.recurring().get(recurringId).orElseThrow();
            assertThat(info.arguments()).containsExactly("\"" + key + "\"", "***", "***");
            String view = admin().get("/api/recurring").then().statusCode(200).extract().asString();
            assertThat(view).contains(recurringId).doesNotContain(CARD).doesNotContain(Integer.toString(PIN));

            String id = jobs.recurring().trigger(recurringId);
            awaitState(jobs, id, JobState.SUCCEEDED);
            assertThat(executions.values(key)).containsExactly(CARD, PIN);
        } finally {
            jobs.recurring().removeIfExists(recurringId);
        }
    }

    @Test
    void aValueWrittenWithARotatedOutKeyStillDecrypts() throws Exception {
        String key = key("rotated");
        String id = jobs.schedule(TestJobs.class, j -> j.charge(key, "placeholder", 0), Duration.ofHours(1));
        // as an earlier version of the application wrote it, when "2026-10" was the active key
        String old = "[\"" + key + "\"," + json(encrypt("2026-10", "TestJobs.charge", 1, "\"" + CARD + "\"")) + ","
                + json(encrypt("2026-10", "TestJobs.charge", 2, Integer.toString(PIN))) + "]";
        update("UPDATE hangfire_job SET arguments = ? WHERE id = ?", old, Long.parseLong(id));

        assertThat(jobs.perform(id)).isEqualTo(JobState.SUCCEEDED);
        assertThat(executions.values(key)).containsExactly(CARD, PIN);
    }

    @Test
    void alteredCiphertextFailsTheJobAtOnceNamingTheArgument() throws Exception {
        String key = key("tampered");
        String id = jobs.schedule(TestJobs.class, j -> j.charge(key, CARD, PIN), Duration.ofHours(1));
        String stored = column("SELECT arguments FROM hangfire_job WHERE id = ?", Long.parseLong(id));
        Encrypted card = encrypted(stored).get(0);
        byte[] data = Base64.getDecoder().decode(card.data);
        data[20] ^= 1;
        update("UPDATE hangfire_job SET arguments = ? WHERE id = ?",
                stored.replace(card.data, Base64.getEncoder().encodeToString(data)), Long.parseLong(id));

        assertThat(jobs.perform(id)).as("not retried, although the job has retries").isEqualTo(JobState.FAILED);
        JobDetails failed = details(jobs, id);
        assertThat(failed.stateReason()).contains("Not retried, as no retry can decrypt it")
                .contains("Argument 2 (cardNumber) of job TestJobs.charge cannot be decrypted: it fails authentication");
        assertThat(failed.history().get(0).data().get("stackTrace")).doesNotContain(CARD);
        assertThat(executions.count(key)).isZero();
    }

    @Test
    void ciphertextMovedToAnotherArgumentOrJobFailsAuthentication() throws Exception {
        String key = key("moved");
        String source = jobs.schedule(TestJobs.class, j -> j.charge(key, CARD, PIN), Duration.ofHours(1));
        List<Encrypted> values = encrypted(column("SELECT arguments FROM hangfire_job WHERE id = ?", Long.parseLong(source)));
        // the card number's ciphertext in the pin's place of the same job
        update("UPDATE hangfire_job SET arguments = ? WHERE id = ?",
                "[\"" + key + "\"," + json(values.get(1).text) + "," + json(values.get(0).text) + "]", Long.parseLong(source));
        assertThat(jobs.perform(source)).isEqualTo(JobState.FAILED);
        assertThat(details(jobs, source).stateReason()).contains("Argument 2 (cardNumber) of job TestJobs.charge")
                .contains("fails authentication");

        // the card number's ciphertext as the passphrase of another job, at the same position
        String other = jobs.schedule("TestJobs.signIn", Duration.ofHours(1), key, "irrelevant");
        update("UPDATE hangfire_job SET arguments = ? WHERE id = ?", "[\"" + key + "\"," + json(values.get(0).text) + "]",
                Long.parseLong(other));
        assertThat(jobs.perform(other)).isEqualTo(JobState.FAILED);
        assertThat(details(jobs, other).stateReason()).contains("Argument 2 (passphrase) of job TestJobs.signIn")
                .contains("fails authentication");
        assertThat(executions.count(key)).isZero();
    }

    @Test
    void aValueWhoseKeyIsNotConfiguredIsRetriedNamingTheKey() throws Exception {
        String key = key("unknown-key");
        String id = jobs.schedule(TestJobs.class, j -> j.charge(key, CARD, PIN), Duration.ofHours(1));
        String stored = column("SELECT arguments FROM hangfire_job WHERE id = ?", Long.parseLong(id));
        update("UPDATE hangfire_job SET arguments = ? WHERE id = ?", stored.replace("enc:v1:2026-11:", "enc:v1:2025-01:"),
                Long.parseLong(id));

        assertThat(jobs.perform(id)).as("retried: configuring the key lets a retry succeed").isEqualTo(JobState.SCHEDULED);
        assertThat(details(jobs, id).stateReason()).contains("Retry attempt 1 of 2")
                .contains("Argument 2 (cardNumber) of job TestJobs.charge was encrypted with the key '2025-01', which is"
                        + " not configured here");
        assertThat(executions.count(key)).isZero();
        jobs.delete(id);
    }

    // ---- helpers ----

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin").basePath("/hangfire");
    }

    record Encrypted(String text, String keyId, String data) {
    }

    private static List<Encrypted> encrypted(String storedArguments) {
        Matcher m = ENCRYPTED.matcher(storedArguments);
        List<Encrypted> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(new Encrypted(m.group(1), m.group(2), m.group(3)));
        }
        return found;
    }

    private static String json(String text) {
        return "\"" + text + "\"";
    }

    /** The documented stored form, made here independently of the extension's code. */
    private static String encrypt(String keyId, String jobName, int position, String json) throws Exception {
        String base64 = ConfigProvider.getConfig().getValue("quarkus.hangfire.encryption.keys.\"" + keyId + "\"", String.class);
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64), "AES"),
                new GCMParameterSpec(128, nonce));
        cipher.updateAAD(("hangfire-argument\0v1\0" + keyId + "\0" + jobName + "\0" + position)
                .getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
        return "enc:v1:" + keyId + ":" + Base64.getEncoder()
                .encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
    }

    private String column(String query, Object parameter) throws SQLException {
        return JobAssertions.single(dataSource, query, parameter);
    }

    private void update(String statement, Object... parameters) throws SQLException {
        assertThat(JobAssertions.update(dataSource, statement, parameters)).isEqualTo(1);
    }
}
