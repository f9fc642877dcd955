package io.quarkiverse.hangfire.runtime.tracing;

import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.JobFilter;

/**
 * OpenTelemetry tracing, a bean only when the application has quarkus-opentelemetry: a job created while a span is
 * current stores that span's W3C trace context ({@code traceparent}, {@code tracestate}) as job parameters; each
 * attempt then runs in a span {@code hangfire.job <name>} (kind consumer, OpenTelemetry's messaging attributes)
 * whose parent is the enqueuing span and which links to it, so that a trace shows the request and the jobs it
 * caused, retries included. The span is current while the job runs: the JDBC work of the job appears beneath it.
 * The outermost job filter, so that the other filters' work is inside the span too.
 */
@ApplicationScoped
@Priority(Integer.MIN_VALUE)
public class HangfireTracing implements JobFilter {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> JOB_NAME = AttributeKey.stringKey("hangfire.job.name");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("hangfire.job.attempt");

    private static final TextMapGetter<Map<String, String>> FROM_MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    @Inject
    OpenTelemetry openTelemetry;

    private Tracer tracer;
    /** The attempt's span and scope on this worker thread, from onPerforming to onPerformed. */
    private final ThreadLocal<Object[]> attempt = new ThreadLocal<>();

    private Tracer tracer() {
        Tracer t = tracer;
        if (t == null) {
            tracer = t = openTelemetry.getTracer("io.quarkiverse.hangfire");
        }
        return t;
    }

    @Override
    public void onCreating(Creating job) {
        if (!Span.current().getSpanContext().isValid()) {
            return;
        }
        Map<String, String> carrier = new HashMap<>();
        openTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), carrier, Map::put);
        String traceparent = carrier.get(TRACEPARENT);
        if (traceparent != null) {
            job.setParameter(TRACEPARENT, traceparent);
            if (carrier.get(TRACESTATE) != null && !carrier.get(TRACESTATE).isEmpty()) {
                job.setParameter(TRACESTATE, carrier.get(TRACESTATE));
            }
        }
    }

    @Override
    public void onPerforming(JobContext job) {
        SpanBuilder span = tracer().spanBuilder("hangfire.job " + job.jobName()).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "hangfire").setAttribute(DESTINATION, job.queue())
                .setAttribute(MESSAGE_ID, job.jobId()).setAttribute(OPERATION, "process")
                .setAttribute(JOB_NAME, job.jobName()).setAttribute(ATTEMPT, (long) job.attempt());
        Context origin = origin(job);
        SpanContext enqueuing = origin == null ? SpanContext.getInvalid() : Span.fromContext(origin).getSpanContext();
        if (enqueuing.isValid()) {
            span.setParent(origin).addLink(enqueuing);
        } else {
            span.setNoParent();
        }
        Span started = span.startSpan();
        attempt.set(new Object[] { started, started.makeCurrent() });
    }

    @Override
    public void onPerformed(JobContext job, Throwable failure) {
        Object[] current = attempt.get();
        attempt.remove();
        if (current == null) {
            return;
        }
        Span span = (Span) current[0];
        ((Scope) current[1]).close();
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        }
        span.end();
    }

    /** The enqueuing span's context, from the job's parameters; null when the job was created outside a span. */
    private Context origin(JobContext job) {
        String traceparent = job.getParameter(TRACEPARENT, String.class).orElse(null);
        if (traceparent == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        carrier.put(TRACEPARENT, traceparent);
        job.getParameter(TRACESTATE, String.class).ifPresent(state -> carrier.put(TRACESTATE, state));
        return openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), carrier, FROM_MAP);
    }
}
