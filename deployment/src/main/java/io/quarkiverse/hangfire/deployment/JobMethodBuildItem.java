package io.quarkiverse.hangfire.deployment;

import java.util.List;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.MethodInfo;

import io.quarkus.arc.processor.InvokerInfo;
import io.quarkus.builder.item.MultiBuildItem;

/** A valid {@code @BackgroundJob} method, with the invoker generated for it and what the runtime needs to know. */
public final class JobMethodBuildItem extends MultiBuildItem {

    final String name;
    final ClassInfo declaringClass;
    final MethodInfo method;
    final InvokerInfo invoker;
    final String queue;
    final List<String> parameterNames;
    final List<String> parameterTypes;
    final int contextIndex;
    final int retries;
    final List<String> retryDelays;
    final List<String> retryOn;
    final List<String> noRetryOn;
    final String onRetriesExhausted;
    /** ISO-8601, or null for none. */
    final String timeout;
    /** Placeholders resolved to stored-argument positions, or null for none. */
    final String mutex;
    final int concurrency;
    /** Positions among the stored arguments of the sensitive parameters, ascending. */
    final List<Integer> sensitiveArguments;

    JobMethodBuildItem(String name, ClassInfo declaringClass, MethodInfo method, InvokerInfo invoker, String queue,
            List<String> parameterNames, List<String> parameterTypes, int contextIndex, int retries, List<String> retryDelays,
            List<String> retryOn, List<String> noRetryOn, String onRetriesExhausted, String timeout, String mutex,
            int concurrency, List<Integer> sensitiveArguments) {
        this.name = name;
        this.declaringClass = declaringClass;
        this.method = method;
        this.invoker = invoker;
        this.queue = queue;
        this.parameterNames = parameterNames;
        this.parameterTypes = parameterTypes;
        this.contextIndex = contextIndex;
        this.retries = retries;
        this.retryDelays = retryDelays;
        this.retryOn = retryOn;
        this.noRetryOn = noRetryOn;
        this.onRetriesExhausted = onRetriesExhausted;
        this.timeout = timeout;
        this.mutex = mutex;
        this.concurrency = concurrency;
        this.sensitiveArguments = sensitiveArguments;
    }
}
