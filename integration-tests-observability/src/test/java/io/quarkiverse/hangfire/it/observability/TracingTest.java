package io.quarkiverse.hangfire.it.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A web request enqueues a job that fails once and succeeds on its retry: the trace shows the request and, beneath
 * its span, one span per attempt, each linked to it, with the messaging attributes, the first with its exception.
 * The job's own work runs inside its attempt's span: its JDBC calls are spans beneath it.
 */
@QuarkusTest
class TracingTest {

    @Test
    void eachAttemptIsASpanBeneathTheRequestThatEnqueuedTheJob() {
        String jobId = given().post("/traced").then().statusCode(200).extract().asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts(jobId).size() == 2);

        SpanData request = InMemorySpans.EXPORTER.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getName().contains("/traced")).findFirst().orElseThrow();
        List<SpanData> attempts = attempts(jobId);
        for (SpanData attempt : attempts) {
            assertThat(attempt.getName()).isEqualTo("hangfire.job workload.traced");
            assertThat(attempt.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(attempt.getTraceId()).isEqualTo(request.getTraceId());
            assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId());
            assertThat(attempt.getLinks()).anySatisfy(link -> assertThat(link.getSpanContext().getSpanId())
                    .isEqualTo(request.getSpanId()));
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("hangfire");
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isEqualTo("default");
        }
        SpanData first = attempts.get(0);
        SpanData retry = attempts.get(1);
        assertThat(first.getAttributes().get(AttributeKey.longKey("hangfire.job.attempt"))).isEqualTo(1L);
        assertThat(retry.getAttributes().get(AttributeKey.longKey("hangfire.job.attempt"))).isEqualTo(2L);
        assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(first.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
        assertThat(retry.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
        // what the job does runs in its attempt's span (instrumented JDBC calls would appear beneath it)
        assertThat(WorkloadJobs.TRACED_SPANS.get(1)).isEqualTo(first.getSpanId());
        assertThat(WorkloadJobs.TRACED_SPANS.get(2)).isEqualTo(retry.getSpanId());
    }

    @Test
    void theJdbcCallsOfAJobAreSpansBeneathItsAttempt() {
        String jobId = io.quarkus.arc.Arc.container().instance(io.quarkiverse.hangfire.JobScheduler.class).get()
                .enqueue(WorkloadJobs.class, WorkloadJobs::queries);
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts(jobId).size() == 1);
        SpanData attempt = attempts(jobId).get(0);
        // opentelemetry-jdbc (quarkus.datasource.jdbc.telemetry): the job's own query, a client span beneath the attempt
        await().atMost(Duration.ofSeconds(10)).until(() -> InMemorySpans.EXPORTER.getFinishedSpanItems().stream()
                .anyMatch(s -> s.getParentSpanId().equals(attempt.getSpanId()) && s.getKind() == SpanKind.CLIENT));
        List<SpanData> queries = InMemorySpans.EXPORTER.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(attempt.getSpanId()) && s.getKind() == SpanKind.CLIENT).toList();
        assertThat(queries).anySatisfy(q -> {
            assertThat(q.getTraceId()).isEqualTo(attempt.getTraceId());
            assertThat(q.getName() + " " + q.getAttributes()).containsIgnoringCase("hangfire_server");
        });
    }

    @Test
    void aJobEnqueuedOutsideARequestStartsATraceOfItsOwn() {
        String jobId = io.quarkus.arc.Arc.container().instance(io.quarkiverse.hangfire.JobScheduler.class).get()
                .enqueue(WorkloadJobs.class, WorkloadJobs::plain);
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts(jobId).size() == 1);
        SpanData attempt = attempts(jobId).get(0);
        assertThat(attempt.getParentSpanContext().isValid()).isFalse();
        assertThat(attempt.getLinks()).isEmpty();
    }

    private static List<SpanData> attempts(String jobId) {
        return InMemorySpans.EXPORTER.getFinishedSpanItems().stream()
                .filter(s -> jobId.equals(s.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))))
                .sorted(Comparator.comparing(s -> s.getAttributes().get(AttributeKey.longKey("hangfire.job.attempt"))))
                .toList();
    }
}
