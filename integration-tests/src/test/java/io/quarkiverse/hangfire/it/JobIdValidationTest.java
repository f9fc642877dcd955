package io.quarkiverse.hangfire.it;

import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.ContinuationOption;
import io.quarkiverse.hangfire.JobNotFoundException;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A null, blank or malformed job id is bad input: every operation that takes one refuses it with an
 * IllegalArgumentException naming the argument and saying what an id looks like, and changes nothing. A
 * well-formed id that names no job keeps its documented outcome (JobNotFoundException, or empty for the monitor).
 */
@QuarkusTest
class JobIdValidationTest {

    private static final String[] BAD_IDS = { null, "", "   ", "abc", "-5", "0", "1e3", "4 2", "0x1F",
            "99999999999999999999", "12345678901234567890123456789012345678901234567890" };
    private static final String UNKNOWN = "987654321987";

    @Inject
    JobScheduler jobs;

    /** Each operation on a job id, as a call on the id. */
    private Map<String, Consumer<String>> operations() {
        Map<String, Consumer<String>> operations = new LinkedHashMap<>();
        operations.put("delete", id -> jobs.delete(id));
        operations.put("delete guarded", id -> jobs.delete(id, JobState.SCHEDULED));
        operations.put("requeue", id -> jobs.requeue(id));
        operations.put("requeue guarded", id -> jobs.requeue(id, JobState.FAILED));
        operations.put("reschedule by delay", id -> jobs.reschedule(id, Duration.ofMinutes(5)));
        operations.put("reschedule at", id -> jobs.reschedule(id, Instant.now().plusSeconds(300)));
        operations.put("reschedule guarded", id -> jobs.reschedule(id, Instant.now().plusSeconds(300), JobState.SCHEDULED));
        operations.put("retry", id -> jobs.retry(id));
        operations.put("perform", id -> jobs.perform(id));
        operations.put("updateExpirationTime", id -> jobs.updateExpirationTime(id, Instant.now().plusSeconds(60)));
        operations.put("getJobParameter", id -> jobs.getJobParameter(id, "p", String.class));
        operations.put("setJobParameter", id -> jobs.setJobParameter(id, "p", "v"));
        operations.put("monitor().job", id -> jobs.monitor().job(id));
        return operations;
    }

    @Test
    void everyOperationRefusesAMalformedIdNamingTheArgument() {
        for (Map.Entry<String, Consumer<String>> operation : operations().entrySet()) {
            for (String bad : BAD_IDS) {
                assertBadId(() -> operation.getValue().accept(bad), "jobId", operation.getKey() + " with " + shown(bad));
            }
        }
    }

    @Test
    void theMessageSaysWhatIsWrong() {
        assertThatThrownBy(() -> jobs.delete(null)).hasMessageContaining("'jobId' must not be null");
        assertThatThrownBy(() -> jobs.delete(" ")).hasMessageContaining("'jobId' is blank");
        assertThatThrownBy(() -> jobs.delete("abc")).hasMessageContaining("'jobId' is 'abc', which is not a job id");
        // a long hostile value is not repeated whole
        String huge = "x".repeat(10_000);
        assertThatThrownBy(() -> jobs.delete(huge)).message().hasSizeLessThan(300);
    }

    @Test
    void aContinuationOfAMalformedParentIsRefusedAndNotCreated() {
        long awaitingBefore = jobs.monitor().countsByState().get(JobState.AWAITING);
        String key = key("orphan");
        for (String bad : BAD_IDS) {
            assertBadId(() -> jobs.continueWith(bad, TestJobs.class, j -> j.record(key)), "parentId",
                    "continueWith with " + shown(bad));
            assertBadId(() -> jobs.continueWith(bad, TestJobs.class, j -> j.record(key), ContinuationOption.ON_ANY_FINAL_STATE),
                    "parentId", "continueWith(option) with " + shown(bad));
            assertBadId(() -> jobs.continueWith(bad, ContinuationOption.ON_SUCCEEDED, "TestJobs.record", key), "parentId",
                    "name-based continueWith with " + shown(bad));
        }
        // before the fix, continueWith(null, ...) created a job that stayed Awaiting forever
        assertThat(jobs.monitor().countsByState().get(JobState.AWAITING)).isEqualTo(awaitingBefore);
    }

    @Test
    void aWellFormedUnknownIdKeepsItsDocumentedOutcome() {
        for (Map.Entry<String, Consumer<String>> operation : operations().entrySet()) {
            if (operation.getKey().equals("monitor().job")) {
                continue;
            }
            assertThatThrownBy(() -> operation.getValue().accept(UNKNOWN)).as(operation.getKey())
                    .isInstanceOf(JobNotFoundException.class).hasMessageContaining(UNKNOWN);
        }
        assertThat(jobs.monitor().job(UNKNOWN)).isEmpty();
        assertThatThrownBy(() -> jobs.continueWith(UNKNOWN, TestJobs.class, j -> j.record("x")))
                .isInstanceOf(JobNotFoundException.class);
        // surrounding white space is tolerated, as before
        assertThat(jobs.monitor().job(" " + UNKNOWN + " ")).isEmpty();
    }

    private static void assertBadId(ThrowingCallable call, String argument, String description) {
        assertThatThrownBy(call).as(description).isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(JobNotFoundException.class).hasMessageContaining("'" + argument + "'")
                .hasMessageContaining("a job id is the positive decimal number");
    }

    private static String shown(String id) {
        return id == null ? "null" : "'" + (id.length() > 20 ? id.substring(0, 20) + "..." : id) + "'";
    }
}
