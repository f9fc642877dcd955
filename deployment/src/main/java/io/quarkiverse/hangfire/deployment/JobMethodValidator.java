package io.quarkiverse.hangfire.deployment;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobOptions;
import io.quarkiverse.hangfire.deployment.JobMethodBuildItem.Parameter;
import io.quarkiverse.hangfire.runtime.recurring.CronSchedule;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;

/**
 * The rules a job method and its {@code @Recurring} schedules must follow, checked all at once: each problem names
 * the method and says what to change, so one failed build lists everything to fix.
 */
final class JobMethodValidator {

    private static final String QUEUE_RULE = "queue names are 1 to 50 lower case letters, digits, '_' or '-'";

    private final StorableTypes storable;
    private final List<Throwable> problems = new ArrayList<>();

    JobMethodValidator(StorableTypes storable) {
        this.storable = storable;
    }

    List<Throwable> problems() {
        return problems;
    }

    /** Annotations on classes that are not beans (abstract classes, interfaces) are mistakes too. */
    void checkPlacement(IndexView beanArchive) {
        for (AnnotationInstance annotation : beanArchive.getAnnotations(JobMethodsProcessor.BACKGROUND_JOB)) {
            MethodInfo method = annotation.target().asMethod();
            ClassInfo owner = method.declaringClass();
            if (owner.isInterface() || Modifier.isAbstract(owner.flags())) {
                problem(method, "is declared on " + (owner.isInterface() ? "an interface" : "an abstract class")
                        + "; declare job methods on a concrete bean class");
            }
        }
    }

    /** Job names are unique across the application. */
    void checkNames(List<JobMethodBuildItem> jobs) {
        Map<String, String> names = new HashMap<>();
        for (JobMethodBuildItem job : jobs) {
            String previous = names.putIfAbsent(job.name, job.describe());
            if (previous != null) {
                problem(job.method, "has the job name '" + job.name + "', already used by " + previous
                        + "; give one of them a distinct @BackgroundJob(name = ...)");
            }
        }
    }

    void check(JobMethodBuildItem job) {
        checkDeclaration(job.declaringClass, job.method);
        if (!JobMethod.QUEUE_NAME.matcher(job.queue).matches()) {
            problem(job.method, "has the queue name '" + job.queue + "'; " + QUEUE_RULE);
        }
        if (job.retries < BackgroundJob.DEFAULT_RETRIES) {
            problem(job.method, "has retries = " + job.retries + "; use 0 or more");
        }
        for (String delay : job.retryDelays) {
            try {
                if (Duration.parse(delay).isNegative()) {
                    problem(job.method, "has a negative retry delay '" + delay + "'");
                }
            } catch (DateTimeParseException e) {
                problem(job.method, "has the retry delay '" + delay
                        + "', which is not an ISO-8601 duration such as PT30S or PT5M");
            }
        }
        checkParameters(job);
        checkTimeout(job);
        try {
            MutexPlaceholders.resolve(job);
        } catch (IllegalArgumentException e) {
            problem(job.method, e.getMessage());
        }
        if (job.concurrency < 0) {
            problem(job.method, "has concurrency = " + job.concurrency + "; use 1 or more, or 0 for no limit");
        }
        if (Boolean.TRUE.equals(job.transactional) && ASYNC_RESULTS.contains(job.method.returnType().name().toString())) {
            problem(job.method, "is transactional and returns " + job.method.returnType().name().withoutPackagePrefix()
                    + "; the transaction belongs to the worker's thread, and work done on other threads would be"
                    + " outside it: return void or a value, or drop transactional = true");
        }
        checkFlow(job);
    }

    /** The flow control attributes: priority, unique key, deadline, rate limit. */
    private void checkFlow(JobMethodBuildItem job) {
        JobMethodBuildItem.Flow flow = job.flow;
        if (flow.priority() < JobOptions.MIN_PRIORITY || flow.priority() > JobOptions.MAX_PRIORITY) {
            problem(job.method, "has priority = " + flow.priority() + "; use " + JobOptions.MIN_PRIORITY + " to "
                    + JobOptions.MAX_PRIORITY);
        }
        for (String[] template : new String[][] { { "unique", flow.unique() }, { "rateLimitKey", flow.rateLimitKey() } }) {
            try {
                MutexPlaceholders.resolve(job, template[1], template[0]);
            } catch (IllegalArgumentException e) {
                problem(job.method, e.getMessage());
            }
        }
        if (flow.unique() == null && (flow.uniqueWhileProcessing() || flow.uniqueAfterFinish() != null)) {
            problem(job.method, "sets uniqueWhileProcessing or uniqueAfterFinish without a unique key; add"
                    + " unique = \"...\" or remove them");
        }
        positiveDuration(job, "uniqueAfterFinish", flow.uniqueAfterFinish(), true);
        positiveDuration(job, "deadline", flow.deadline(), false);
        if (flow.rateLimit() != null) {
            try {
                JobMethod.RateLimit.parse(flow.rateLimit());
            } catch (IllegalArgumentException e) {
                problem(job.method, "has rateLimit = \"" + flow.rateLimit() + "\": " + e.getMessage());
            }
        } else if (flow.rateLimitKey() != null) {
            problem(job.method, "has rateLimitKey without a rateLimit; add rateLimit = \"count/duration\" (such as"
                    + " \"100/PT1M\") or remove rateLimitKey");
        }
    }

    private void positiveDuration(JobMethodBuildItem job, String attribute, String value, boolean zeroAllowed) {
        if (value == null) {
            return;
        }
        try {
            Duration parsed = Duration.parse(value);
            if (parsed.isNegative() || !zeroAllowed && parsed.isZero()) {
                problem(job.method, "has " + attribute + " = \"" + value + "\"; it must be longer than zero");
            }
        } catch (DateTimeParseException e) {
            problem(job.method, "has " + attribute + " = \"" + value
                    + "\", which is not an ISO-8601 duration such as PT30S or PT5M");
        }
    }

    /** Results whose work goes on after the method returned, on other threads. */
    private static final java.util.Set<String> ASYNC_RESULTS = java.util.Set.of("java.util.concurrent.CompletionStage",
            "java.util.concurrent.CompletableFuture", "io.smallrye.mutiny.Uni");

    private void checkDeclaration(ClassInfo beanClass, MethodInfo method) {
        if (Modifier.isPrivate(method.flags())) {
            problem(method, "is private; job methods are called through a generated invoker and recorded"
                    + " through a generated subclass, so make it public, protected or package-private");
        }
        if (Modifier.isStatic(method.flags())) {
            problem(method, "is static; job methods run on the bean, so make it an instance method");
        }
        if (Modifier.isAbstract(method.flags())) {
            problem(method, "is abstract; declare job methods with a body on a concrete bean class");
        }
        if (Modifier.isFinal(method.flags())) {
            problem(method, "is final; the subclass that records `jobs.enqueue(...)` calls must override it");
        }
        if (Modifier.isFinal(beanClass.flags())) {
            problem(method, "is declared in the final class " + beanClass.name()
                    + "; the subclass that records `jobs.enqueue(...)` calls must extend it");
        }
        boolean subclassable = beanClass.constructors().stream().anyMatch(c -> !Modifier.isPrivate(c.flags()));
        if (!subclassable) {
            problem(method, "is declared in " + beanClass.name()
                    + ", whose constructors are all private; the recording subclass needs one it can call");
        }
    }

    private void checkParameters(JobMethodBuildItem job) {
        if (job.parameters.stream().filter(Parameter::jobContext).count() > 1) {
            problem(job.method, "has more than one JobContext parameter");
        }
        for (Parameter parameter : job.storedParameters()) {
            Type type = parameter.type();
            String problem = storable.problem(type);
            if (problem != null) {
                problem(job.method, "has the parameter '" + parameter.name() + "' of type " + type
                        + ", which cannot be stored as JSON: " + problem);
            }
        }
    }

    private void checkTimeout(JobMethodBuildItem job) {
        if (job.timeout == null) {
            return;
        }
        try {
            Duration parsed = Duration.parse(job.timeout);
            if (parsed.isNegative() || parsed.isZero()) {
                problem(job.method, "has the timeout '" + job.timeout + "'; a timeout must be longer than zero");
            }
        } catch (DateTimeParseException e) {
            problem(job.method, "has the timeout '" + job.timeout
                    + "', which is not an ISO-8601 duration such as PT30S or PT5M");
        }
    }

    /** All that can be known of a schedule at build time: a cron given by a config key is checked at startup. */
    void checkRecurring(List<RecurringBuildItem> recurring, List<JobMethodBuildItem> jobs) {
        Map<String, JobMethodBuildItem> byName = new HashMap<>();
        jobs.forEach(job -> byName.putIfAbsent(job.name, job));
        Map<String, String> ids = new HashMap<>();
        for (RecurringBuildItem schedule : recurring) {
            MethodInfo method = schedule.method;
            String where = "has @Recurring(id = \"" + schedule.id + "\")";
            JobMethodBuildItem job = byName.get(schedule.jobName);
            if (job != null && !job.storedParameters().isEmpty()) {
                problem(method, where + " but takes arguments; a recurring job's method takes none (a"
                        + " JobContext is fine), or add it with jobs.recurring().addOrUpdate(...) and its arguments");
            }
            String previous = ids.putIfAbsent(schedule.id, JobMethodBuildItem.describe(method));
            if (previous != null) {
                problem(method, where + ", an id already used by " + previous + "; give each @Recurring a distinct id");
            }
            String cron = schedule.cron;
            if (!cron.startsWith("${") && !cron.equalsIgnoreCase("off") && !cron.equals("-")) {
                try {
                    CronSchedule.parse(cron);
                } catch (IllegalArgumentException e) {
                    problem(method, where + ": " + e.getMessage());
                }
            }
            try {
                CronSchedule.zone(schedule.zone);
            } catch (IllegalArgumentException e) {
                problem(method, where + ": " + e.getMessage());
            }
            if (schedule.queue != null && !JobMethod.QUEUE_NAME.matcher(schedule.queue).matches()) {
                problem(method, where + " with the queue name '" + schedule.queue + "'; " + QUEUE_RULE);
            }
        }
    }

    private void problem(MethodInfo method, String problem) {
        problems.add(invalid(method, problem));
    }

    /** A problem of a job method's declaration, worded as every build message about one is. */
    static IllegalStateException invalid(MethodInfo method, String problem) {
        return new IllegalStateException("@BackgroundJob method " + JobMethodBuildItem.describe(method) + " " + problem);
    }
}
