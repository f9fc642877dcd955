package io.quarkiverse.hangfire.it.dashboard;

import static io.quarkiverse.hangfire.it.dashboard.Dashboard.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobDetails;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.it.DashboardJobs;
import io.quarkiverse.hangfire.it.DashboardJobs.Credentials;
import io.quarkiverse.hangfire.it.DashboardJobs.Login;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The attacks of the security review of the dashboard, replayed by the read-only user {@code viewer}: huge stored
 * texts, parallel searches, finding a redacted value through search, and secrets below the top level, in logs,
 * parameters, exceptions, unknown jobs and encrypted values. Large texts are written straight into the tables,
 * as old rows or another application could hold them: the API refuses them.
 */
@QuarkusTest
class DashboardDisclosureAttackTest {

    /** More than any one answer may carry: everything is cut to a few KiB per text. */
    static final int HUGE = 3 * 1024 * 1024;
    static final int ANSWER_LIMIT = 512 * 1024;
    /** Longer than the 4,000 characters the API writes; as long as MySQL's TEXT column holds. */
    static final int LONG_LINE = 60_000;

    @Inject
    JobScheduler jobs;

    @Inject
    AgroalDataSource dataSource;

    final Dashboard viewer = as("viewer");

    @Test
    void hugeStoredTextsAreShownCutAndMarked() throws SQLException {
        String key = key("huge");
        String id = jobs.schedule("TestJobs.record", Duration.ofHours(1), key);
        try {
            update("update hangfire_job set arguments = ? where id = ?", "[\"" + key + " " + "x".repeat(HUGE) + "\"]",
                    Long.parseLong(id));
            update("insert into hangfire_job_log (job_id, attempt, created_at, line) values (?, 1, CURRENT_TIMESTAMP, ?)",
                    Long.parseLong(id), "log " + "y".repeat(LONG_LINE));
            update("insert into hangfire_job_state (job_id, state, reason, created_at, data) values (?, 'FAILED', 'old failure',"
                    + " CURRENT_TIMESTAMP, ?)", Long.parseLong(id), "{\"exceptionType\":\"java.lang.IllegalStateException\","
                            + "\"exceptionMessage\":\"" + "m".repeat(10_000) + "\",\"stackTrace\":\"" + "s".repeat(HUGE) + "\"}");

            Response answer = viewer.get("/api/jobs/" + id);
            answer.then().statusCode(200);
            assertThat(answer.asByteArray().length).isLessThan(ANSWER_LIMIT);
            JsonPath job = answer.jsonPath();
            assertThat(job.getString("arguments[0].value")).startsWith("\"" + key + " xxx").hasSizeLessThanOrEqualTo(4096);
            assertThat(job.getMap("arguments[0].truncated")).containsKey("value");
            assertThat(job.getString("log[0].line")).startsWith("log yyy").hasSizeLessThanOrEqualTo(4096);
            assertThat(job.getLong("log[0].truncated.line")).isEqualTo(4L + LONG_LINE);
            assertThat(job.getString("exception.message")).hasSize(4096);
            assertThat(job.getMap("exception.truncated")).containsKeys("message", "stackTrace");
            assertThat(job.getString("exception.stackTrace")).hasSizeLessThanOrEqualTo(16384);
            assertThat(job.getMap("history.find { it.state == 'FAILED' }.truncated")).containsKey("data.stackTrace");

            Response list = viewer.get("/api/jobs?state=SCHEDULED&limit=500");
            list.then().statusCode(200);
            assertThat(list.asByteArray().length).isLessThan(ANSWER_LIMIT);
            String shortArguments = list.jsonPath().getString("jobs.find { it.id == '" + id + "' }.arguments");
            assertThat(shortArguments).startsWith("[\"" + key).endsWith("…").hasSizeLessThan(300);
        } finally {
            jobs.delete(id);
        }
    }

    @Test
    void parallelSearchesByAViewerOverHugeArgumentsLeaveTheApplicationAnswering() throws Exception {
        String needle = key("needle");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = jobs.schedule("TestJobs.record", Duration.ofHours(1), needle + "-" + i);
            update("update hangfire_job set arguments = ? where id = ?", "[\"" + needle + "-" + i + " " + "z".repeat(HUGE) + "\"]",
                    Long.parseLong(id));
            ids.add(id);
        }
        // a first search warms up the code paths and the database's caches; cold, it can exceed the 5 s timeout
        await().atMost(Duration.ofMinutes(1)).until(() -> viewer.get("/api/jobs?text=" + needle).statusCode() == 200);
        ExecutorService pool = Executors.newFixedThreadPool(21);
        try {
            AtomicBoolean searching = new AtomicBoolean(true);
            Set<Integer> statsStatuses = ConcurrentHashMap.newKeySet();
            Future<?> stats = pool.submit(() -> {
                while (searching.get()) {
                    statsStatuses.add(viewer.get("/api/stats").statusCode());
                    Thread.sleep(20);
                }
                return null;
            });
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> searches = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                searches.add(pool.submit(() -> {
                    start.await();
                    return viewer.get("/api/jobs?text=" + needle);
                }));
            }
            start.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> search : searches) {
                answers.add(search.get(2, TimeUnit.MINUTES));
            }
            searching.set(false);
            stats.get(1, TimeUnit.MINUTES);

            assertThat(statsStatuses).containsOnly(200);
            assertThat(answers).extracting(Response::statusCode).containsOnly(200, 429).contains(200);
            for (Response answer : answers) {
                assertThat(answer.asByteArray().length).isLessThan(ANSWER_LIMIT);
                if (answer.statusCode() == 429) {
                    assertThat(answer.header("Retry-After")).isNotBlank();
                    assertThat(answer.jsonPath().getString("error")).contains("search running");
                } else {
                    assertThat(answer.jsonPath().getList("jobs.id", String.class)).containsExactlyInAnyOrderElementsOf(ids);
                }
            }
            viewer.get("/api/stats").then().statusCode(200);
            JsonPath after = viewer.get("/api/jobs?text=" + needle + "-3").then().statusCode(200).extract().jsonPath();
            assertThat(after.getList("jobs.id", String.class)).containsExactly(ids.get(3));
            assertThat(after.getInt("search.window")).isEqualTo(1000);
        } finally {
            pool.shutdownNow();
            ids.forEach(jobs::delete);
        }
    }

    @Test
    void aSearchTextMustNotBeTooShort() {
        viewer.get("/api/jobs?text=ab").then().statusCode(400).body("error", containsString("at least 3 characters"));
        viewer.get("/api/jobs?text=" + "a".repeat(201)).then().statusCode(400);
        viewer.get("/api/jobs?text=abc").then().statusCode(200);
    }

    @Test
    void searchFindsNoRedactedValueNotEvenOneCharacterAtATime() {
        Secrets s = new Secrets();
        String id = connect(s);
        awaitState(id, JobState.FAILED);

        // what is shown can be found: the account, in the arguments, the reason and the exception
        assertThat(ids(viewer.get("/api/jobs?text=" + s.account))).containsExactly(id);
        for (String secret : s.all()) {
            assertThat(ids(viewer.get("/api/jobs?text=" + secret))).as(secret).isEmpty();
            // the review's attack: grow a known prefix one character at a time
            for (int length = 3; length <= 14; length++) {
                String known = secret.substring(0, length);
                assertThat(ids(viewer.get("/api/jobs?text=" + known))).as(known).doesNotContain(id);
            }
        }
        jobs.delete(id);
    }

    @Test
    void secretsShowNowhereInTheJobsPage() {
        Secrets s = new Secrets();
        String id = connect(s);
        awaitState(id, JobState.FAILED);

        Response answer = viewer.get("/api/jobs/" + id);
        answer.then().statusCode(200);
        String body = answer.asString();
        for (String secret : s.all()) {
            assertThat(body).as("the job's page").doesNotContain(secret);
        }
        JsonPath job = answer.jsonPath();
        // nested fields and map keys are redacted at any depth; the redacted argument as a whole
        assertThat(job.getString("arguments[0].value")).isEqualTo("{\"account\":\"" + s.account
                + "\",\"creds\":{\"user\":\"u\",\"password\":\"***\"}}");
        assertThat(job.getString("arguments[1].value")).contains("\"password\":\"***\"", "\"apiKey\":\"***\"", "\"region\":\"eu\"");
        assertThat(job.getString("arguments[2].value")).isEqualTo("***");
        // log lines, parameters and the exception hide the values wherever they occur
        assertThat(job.getList("log.line", String.class)).allSatisfy(line -> assertThat(line).contains("***"));
        assertThat(job.getString("parameters.session")).contains("\"apiKey\":\"***\"");
        assertThat(job.getString("parameters.note")).isEqualTo("\"password=***\"");
        assertThat(job.getString("exception.message")).contains(s.account).contains("***");
        assertThat(job.getString("exception.stackTrace")).contains("DashboardJobs.connect");

        for (String path : List.of("/api/jobs?state=FAILED&limit=500", "/api/jobs?text=" + s.account)) {
            String list = viewer.get(path).then().statusCode(200).extract().asString();
            for (String secret : s.all()) {
                assertThat(list).as(path).doesNotContain(secret);
            }
        }
        jobs.delete(id);
    }

    @Test
    void recurringJobsHideTheirSecretsToo() {
        Secrets s = new Secrets();
        String recurringId = key("secret-recurring");
        jobs.recurring().addOrUpdate(recurringId, DashboardJobs.class,
                j -> j.connect(new Login(s.account, new Credentials("u", s.nestedPassword)),
                        Map.of("password", s.mapPassword, "apiKey", s.mapApiKey), s.token, null),
                "0 0 0 1 1 *");
        try {
            String all = viewer.get("/api/recurring").then().statusCode(200).extract().asString();
            for (String secret : s.all()) {
                assertThat(all).doesNotContain(secret);
            }
            JsonPath list = viewer.get("/api/recurring").jsonPath();
            assertThat(list.getString("find { it.id == '" + recurringId + "' }.arguments[0].value")).contains(s.account,
                    "\"password\":\"***\"");
        } finally {
            jobs.recurring().removeIfExists(recurringId);
        }
    }

    @Test
    void aJobThisApplicationDoesNotKnowShowsNoArguments() throws SQLException {
        String key = key("unknown");
        String id = jobs.schedule("TestJobs.record", Duration.ofHours(1), key);
        try {
            update("update hangfire_job set job_name = 'RenamedJobs.gone' where id = ?", Long.parseLong(id));
            JsonPath job = viewer.get("/api/jobs/" + id).then().statusCode(200).extract().jsonPath();
            assertThat(job.getList("arguments")).isEmpty();
            assertThat(job.getString("argumentsHidden")).contains("no job named 'RenamedJobs.gone'");
            String list = viewer.get("/api/jobs?state=SCHEDULED&limit=500").asString();
            assertThat(list).doesNotContain(key);
            assertThat(ids(viewer.get("/api/jobs?text=" + key))).isEmpty();
        } finally {
            jobs.delete(id);
        }
    }

    @Test
    void valuesEncryptedAtRestShowAsHiddenAndAreNotSearchable() throws SQLException {
        String key = key("enc");
        String id = jobs.schedule("TestJobs.record", Duration.ofHours(1), key);
        try {
            update("update hangfire_job set arguments = ? where id = ?", "[\"enc:" + key + "\"]", Long.parseLong(id));
            JsonPath job = viewer.get("/api/jobs/" + id).then().statusCode(200).extract().jsonPath();
            assertThat(job.getString("arguments[0].value")).isEqualTo("\"***\"");
            assertThat(ids(viewer.get("/api/jobs?text=" + key))).isEmpty();
        } finally {
            jobs.delete(id);
        }
    }

    /** Unique secret values of one {@link DashboardJobs#connect} job. */
    static final class Secrets {
        final String account = key("acct");
        final String nestedPassword = "NestedPw-" + UUID.randomUUID();
        final String mapPassword = "MapPw-" + UUID.randomUUID();
        final String mapApiKey = "MapKey-" + UUID.randomUUID();
        final String token = "Tok-" + UUID.randomUUID();

        List<String> all() {
            return List.of(nestedPassword, mapPassword, mapApiKey, token);
        }
    }

    private String connect(Secrets s) {
        return jobs.enqueue(DashboardJobs.class, j -> j.connect(new Login(s.account, new Credentials("u", s.nestedPassword)),
                new java.util.TreeMap<>(Map.of("password", s.mapPassword, "apiKey", s.mapApiKey, "region", "eu")), s.token,
                null));
    }

    private void update(String sql, Object... values) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private void awaitState(String id, JobState state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> jobs.monitor().job(id).map(JobDetails::state).orElse(null) == state);
    }

    private static List<String> ids(Response page) {
        page.then().statusCode(200);
        return page.jsonPath().getList("jobs.id", String.class);
    }

    private static String key(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
