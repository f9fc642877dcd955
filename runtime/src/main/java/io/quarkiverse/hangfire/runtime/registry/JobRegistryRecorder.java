package io.quarkiverse.hangfire.runtime.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JavaType;

import io.quarkiverse.hangfire.BackgroundJob.RetriesExhausted;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.Recorder;
import jakarta.enterprise.invoke.Invoker;

/**
 * Hands what the build found to the runtime. It runs at static init, which a native image executes while the
 * image is built: type names are resolved there once, and never on the job path.
 */
@Recorder
public class JobRegistryRecorder {

    public void reset() {
        JobRegistry.clear();
    }

    public void registerJob(RuntimeValue<Invoker<Object, Object>> invoker, String name, String className, String methodName,
            String queue, List<String> parameterNames, List<String> parameterTypes, int contextIndex, int maxRetries,
            List<String> retryDelays, List<String> retryOn, List<String> noRetryOn, String onExhausted, String timeout,
            String mutex, int concurrency, List<Integer> sensitiveArguments, int priority, String unique,
            boolean uniqueWhileProcessing, String uniqueAfterFinish, String deadline, String rateLimit, String rateLimitKey,
            Boolean transactional) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<JavaType> types = new ArrayList<>();
        for (int i = 0; i < parameterTypes.size(); i++) {
            types.add(i == contextIndex ? null : javaType(parameterTypes.get(i), loader));
        }
        List<Long> delays = retryDelays.stream().map(d -> Duration.parse(d).toMillis()).toList();
        JobMethod.RetryPolicy policy = new JobMethod.RetryPolicy(maxRetries, delays, classes(retryOn, loader),
                classes(noRetryOn, loader), RetriesExhausted.valueOf(onExhausted));
        JobRegistry.add(new JobMethod(name, className, methodName, queue, List.copyOf(parameterNames),
                java.util.Collections.unmodifiableList(types), contextIndex, policy,
                timeout == null ? null : Duration.parse(timeout), mutex == null ? null : MutexTemplate.parse(mutex),
                concurrency, invoker.getValue(), List.copyOf(sensitiveArguments),
                new JobMethod.Flow(priority, unique == null ? null : MutexTemplate.parse(unique), uniqueWhileProcessing,
                        uniqueAfterFinish == null ? Duration.ZERO : Duration.parse(uniqueAfterFinish),
                        deadline == null ? null : Duration.parse(deadline),
                        rateLimit == null ? null : JobMethod.RateLimit.parse(rateLimit),
                        rateLimitKey == null ? null : MutexTemplate.parse(rateLimitKey)),
                transactional));
    }

    public void registerRecurring(String id, String jobName, String cron, String zone, String queue, String misfire) {
        JobRegistry.addRecurring(new JobRegistry.RecurringDeclaration(id, jobName, cron, zone, queue, misfire));
    }

    public void registerCallRecorder(String className, RuntimeValue<Object> recorder) {
        JobRegistry.addCallRecorder(className, recorder.getValue());
    }

    /** Jandex type names ("java.util.List<org.acme.Jobs$Item>", "int[]") to Jackson types. */
    static JavaType javaType(String name, ClassLoader loader) {
        return JobArguments.MAPPER.getTypeFactory().constructType(TypeNames.parse(name, loader));
    }

    private static List<Class<?>> classes(List<String> names, ClassLoader loader) {
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            try {
                classes.add(Class.forName(name, false, loader));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Exception type " + name + " named in @BackgroundJob is missing", e);
            }
        }
        return classes;
    }
}
