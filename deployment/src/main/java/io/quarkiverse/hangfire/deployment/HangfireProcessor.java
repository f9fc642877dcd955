package io.quarkiverse.hangfire.deployment;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.Recurring;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.runtime.HangfireJobMonitor;
import io.quarkiverse.hangfire.runtime.HangfireJobScheduler;
import io.quarkiverse.hangfire.runtime.HangfireRecurringJobs;
import io.quarkiverse.hangfire.runtime.config.HangfireBuildTimeConfig;
import io.quarkiverse.hangfire.runtime.crypto.ArgumentCipher;
import io.quarkiverse.hangfire.runtime.recurring.CronSchedule;
import io.quarkiverse.hangfire.runtime.recurring.RecurringStore;
import io.quarkiverse.hangfire.runtime.recurring.RecurringSync;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.registry.JobRegistryRecorder;
import io.quarkiverse.hangfire.runtime.server.JobPerformer;
import io.quarkiverse.hangfire.runtime.server.ServerLifecycle;
import io.quarkiverse.hangfire.runtime.server.ServerSignals;
import io.quarkiverse.hangfire.runtime.server.ServerStorage;
import io.quarkiverse.hangfire.runtime.state.AutomaticRetry;
import io.quarkiverse.hangfire.runtime.state.StateMachine;
import io.quarkiverse.hangfire.runtime.storage.JobLocks;
import io.quarkiverse.hangfire.runtime.storage.JobLogs;
import io.quarkiverse.hangfire.runtime.storage.JobParameters;
import io.quarkiverse.hangfire.runtime.storage.JobSql;
import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;
import io.quarkiverse.hangfire.runtime.storage.Statistics;
import io.quarkiverse.hangfire.runtime.storage.Storage;
import io.quarkiverse.hangfire.runtime.storage.entity.CounterEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobLogEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobParameterEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobQueueEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.JobStateEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.LockEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.RecurringJobEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.SchemaVersionEntity;
import io.quarkiverse.hangfire.runtime.storage.entity.ServerEntity;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.AutoAddScopeBuildItem;
import io.quarkus.arc.deployment.BeanArchiveIndexBuildItem;
import io.quarkus.arc.deployment.BeanRegistrationPhaseBuildItem;
import io.quarkus.arc.deployment.InvokerFactoryBuildItem;
import io.quarkus.arc.deployment.UnremovableBeanBuildItem;
import io.quarkus.arc.deployment.ValidationPhaseBuildItem.ValidationErrorBuildItem;
import io.quarkus.arc.processor.AnnotationStore;
import io.quarkus.arc.processor.BeanInfo;
import io.quarkus.arc.processor.BuildExtension;
import io.quarkus.arc.processor.BuiltinScope;
import io.quarkus.arc.processor.InvokerInfo;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveHierarchyBuildItem;
import io.quarkus.deployment.recording.RecorderContext;
import io.quarkus.hibernate.orm.deployment.integration.HibernateOrmIntegrationStaticConfiguredBuildItem;
import io.quarkus.hibernate.orm.deployment.spi.AdditionalJpaModelBuildItem;
import io.quarkus.hibernate.orm.runtime.PersistenceUnitUtil;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Build steps of Quarkus Hangfire: find and check the {@code @BackgroundJob} methods, generate their invokers
 * and recording stand-ins, contribute the storage entities with the table prefix, and hand it all to the
 * runtime.
 */
class HangfireProcessor {

    static final String FEATURE = "hangfire";
    static final DotName BACKGROUND_JOB = DotName.createSimple(BackgroundJob.class);
    static final DotName JOB_CONTEXT = DotName.createSimple(JobContext.class);

    private static final DotName RECURRING = DotName.createSimple(Recurring.class);
    private static final DotName RECURRING_LIST = DotName.createSimple(Recurring.List.class);
    private static final Pattern MUTEX_PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_$]+)\\}");
    private static final Pattern QUEUE_NAME = JobMethod.QUEUE_NAME;
    private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,29}");

    private static final List<Class<?>> ENTITIES = List.of(JobEntity.class, JobQueueEntity.class, JobStateEntity.class,
            JobParameterEntity.class, JobLogEntity.class, ServerEntity.class, RecurringJobEntity.class, LockEntity.class, CounterEntity.class,
            SchemaVersionEntity.class);

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    AdditionalBeanBuildItem runtimeBeans() {
        return AdditionalBeanBuildItem.builder().setUnremovable()
                .addBeanClasses(Storage.class, JobSql.class, StateMachine.class, AutomaticRetry.class, JobParameters.class, JobLogs.class,
                        SchemaInstaller.class, ServerSignals.class, JobPerformer.class, ServerStorage.class,
                        ServerLifecycle.class, HangfireJobScheduler.class, HangfireJobMonitor.class, JobLocks.class,
                        Statistics.class, HangfireRecurringJobs.class, RecurringStore.class,
                        RecurringSync.class, ArgumentCipher.class)
                .build();
    }

    /** A class that declares job methods and has no scope becomes a {@code @Singleton} bean. */
    @BuildStep
    AutoAddScopeBuildItem jobClassesAreBeans() {
        return AutoAddScopeBuildItem.builder().containsAnnotations(BACKGROUND_JOB).defaultScope(BuiltinScope.SINGLETON)
                .unremovable().reason("declares @BackgroundJob methods").build();
    }

    @BuildStep
    UnremovableBeanBuildItem keepJobClasses() {
        return new UnremovableBeanBuildItem(new UnremovableBeanBuildItem.BeanClassAnnotationExclusion(BACKGROUND_JOB));
    }

    /** Finds the job methods, reports every invalid declaration at once, and creates an invoker per valid one. */
    @BuildStep
    void collectJobMethods(BeanRegistrationPhaseBuildItem registration, InvokerFactoryBuildItem invokers,
            BeanArchiveIndexBuildItem beanArchive, CombinedIndexBuildItem combined,
            BuildProducer<JobMethodBuildItem> jobs, BuildProducer<RecurringBuildItem> recurringJobs,
            BuildProducer<ValidationErrorBuildItem> errors,
            BuildProducer<ReflectiveHierarchyBuildItem> reflection, HangfireBuildTimeConfig config) {
        AnnotationStore annotations = registration.getContext().get(BuildExtension.Key.ANNOTATION_STORE);
        StorableTypes storable = new StorableTypes(combined.getComputingIndex());
        IndexView index = beanArchive.getIndex();
        List<Throwable> problems = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> recurringIds = new HashMap<>();
        SensitiveParameters sensitive = new SensitiveParameters(config.sensitiveParameters().orElse(List.of()), problems);
        SensitiveParameters.checkOnlyOnJobMethods(combined.getIndex(), problems);

        // annotations on classes that are not beans (abstract, interfaces) are mistakes too
        for (AnnotationInstance annotation : index.getAnnotations(BACKGROUND_JOB)) {
            MethodInfo method = annotation.target().asMethod();
            ClassInfo owner = method.declaringClass();
            if (owner.isInterface() || Modifier.isAbstract(owner.flags())) {
                problems.add(invalid(method, "is declared on " + (owner.isInterface() ? "an interface" : "an abstract class")
                        + "; declare job methods on a concrete bean class"));
            }
        }

        for (BeanInfo bean : registration.getContext().beans().classBeans()) {
            ClassInfo beanClass = bean.getTarget().get().asClass();
            for (MethodInfo method : beanClass.methods()) {
                AnnotationInstance job = annotations.getAnnotation(method, BACKGROUND_JOB);
                if (job == null) {
                    continue;
                }
                int before = problems.size();
                checkDeclaration(beanClass, method, problems);
                String name = stringValue(job, "name", beanClass.simpleName() + "." + method.name());
                String previous = names.putIfAbsent(name, describe(method));
                if (previous != null) {
                    problems.add(invalid(method, "has the job name '" + name + "', already used by " + previous
                            + "; give one of them a distinct @BackgroundJob(name = ...)"));
                }
                String queue = stringValue(job, "queue", "default");
                if (!QUEUE_NAME.matcher(queue).matches()) {
                    problems.add(invalid(method, "has the queue name '" + queue
                            + "'; queue names are 1 to 50 lower case letters, digits, '_' or '-'"));
                }
                int retries = job.value("retries") == null ? BackgroundJob.DEFAULT_RETRIES : job.value("retries").asInt();
                if (retries < BackgroundJob.DEFAULT_RETRIES) {
                    problems.add(invalid(method, "has retries = " + retries + "; use 0 or more"));
                }
                List<String> delays = job.value("retryDelays") == null ? List.of()
                        : Arrays.asList(job.value("retryDelays").asStringArray());
                for (String delay : delays) {
                    try {
                        if (Duration.parse(delay).isNegative()) {
                            problems.add(invalid(method, "has a negative retry delay '" + delay + "'"));
                        }
                    } catch (DateTimeParseException e) {
                        problems.add(invalid(method, "has the retry delay '" + delay
                                + "', which is not an ISO-8601 duration such as PT30S or PT5M"));
                    }
                }

                List<String> parameterNames = new ArrayList<>();
                List<String> parameterTypes = new ArrayList<>();
                int contextIndex = -1;
                for (int i = 0; i < method.parametersCount(); i++) {
                    Type type = method.parameterType(i);
                    String parameterName = method.parameterName(i) == null ? "arg" + i : method.parameterName(i);
                    parameterNames.add(parameterName);
                    parameterTypes.add(type.toString());
                    if (type.name().equals(JOB_CONTEXT)) {
                        if (contextIndex >= 0) {
                            problems.add(invalid(method, "has more than one JobContext parameter"));
                        }
                        contextIndex = i;
                        continue;
                    }
                    String problem = storable.problem(type);
                    if (problem != null) {
                        problems.add(invalid(method, "has the parameter '" + parameterName + "' of type " + type
                                + ", which cannot be stored as JSON: " + problem));
                    } else if (type.kind() != Type.Kind.PRIMITIVE) {
                        reflection.produce(ReflectiveHierarchyBuildItem.builder(type).index(combined.getComputingIndex())
                                .source("@BackgroundJob " + name).build());
                    }
                }
                String timeout = checkTimeout(method, stringValue(job, "timeout", null), problems);
                String mutex = mutexTemplate(method, stringValue(job, "mutex", null), parameterNames, contextIndex, problems);
                List<Integer> sensitiveArguments = sensitive.positions(method, name, parameterNames, contextIndex, mutex,
                        problems);
                int concurrency = job.value("concurrency") == null ? 0 : job.value("concurrency").asInt();
                if (concurrency < 0) {
                    problems.add(invalid(method, "has concurrency = " + concurrency + "; use 1 or more, or 0 for no limit"));
                }
                List<RecurringBuildItem> recurring = recurring(method, annotations, name, parameterNames.size()
                        - (contextIndex >= 0 ? 1 : 0), recurringIds, problems);
                if (problems.size() > before) {
                    continue;
                }
                recurring.forEach(recurringJobs::produce);
                InvokerInfo invoker = invokers.createInvoker(bean, method).withInstanceLookup().build();
                jobs.produce(new JobMethodBuildItem(name, beanClass, method, invoker, queue, parameterNames, parameterTypes,
                        contextIndex, retries, delays, classNames(job, "retryOn"), classNames(job, "noRetryOn"),
                        job.value("onRetriesExhausted") == null ? BackgroundJob.RetriesExhausted.FAIL.name()
                                : job.value("onRetriesExhausted").asEnum(),
                        timeout, mutex, concurrency, sensitiveArguments));
            }
        }
        sensitive.reportUnmatched(new ArrayList<>(names.keySet()), problems);
        if (!problems.isEmpty()) {
            errors.produce(new ValidationErrorBuildItem(problems));
        }
    }

    /** The {@code @Recurring} annotations of a job method, checked: all that can be known at build time is. */
    private static List<RecurringBuildItem> recurring(MethodInfo method, AnnotationStore annotations, String jobName,
            int storedParameters, Map<String, String> ids, List<Throwable> problems) {
        List<AnnotationInstance> declared = new ArrayList<>();
        AnnotationInstance single = annotations.getAnnotation(method, RECURRING);
        if (single != null) {
            declared.add(single);
        }
        AnnotationInstance container = annotations.getAnnotation(method, RECURRING_LIST);
        if (container != null) {
            declared.addAll(Arrays.asList(container.value().asNestedArray()));
        }
        List<RecurringBuildItem> items = new ArrayList<>();
        for (AnnotationInstance recurring : declared) {
            String id = stringValue(recurring, "id", jobName);
            String cron = recurring.value("cron").asString().trim();
            String zone = stringValue(recurring, "zone", "UTC");
            String queue = stringValue(recurring, "queue", null);
            String misfire = recurring.value("misfire") == null ? Misfire.RELAXED.name() : recurring.value("misfire").asEnum();
            String where = "has @Recurring(id = \"" + id + "\")";
            if (storedParameters > 0) {
                problems.add(invalid(method, where + " but takes arguments; a recurring job's method takes none (a"
                        + " JobContext is fine), or add it with jobs.recurring().addOrUpdate(...) and its arguments"));
            }
            String previous = ids.putIfAbsent(id, describe(method));
            if (previous != null) {
                problems.add(invalid(method, where + ", an id already used by " + previous
                        + "; give each @Recurring a distinct id"));
            }
            if (!cron.startsWith("${") && !cron.equalsIgnoreCase("off") && !cron.equals("-")) {
                try {
                    CronSchedule.parse(cron);
                } catch (IllegalArgumentException e) {
                    problems.add(invalid(method, where + ": " + e.getMessage()));
                }
            }
            try {
                CronSchedule.zone(zone);
            } catch (IllegalArgumentException e) {
                problems.add(invalid(method, where + ": " + e.getMessage()));
            }
            if (queue != null && !QUEUE_NAME.matcher(queue).matches()) {
                problems.add(invalid(method, where + " with the queue name '" + queue
                        + "'; queue names are 1 to 50 lower case letters, digits, '_' or '-'"));
            }
            items.add(new RecurringBuildItem(id, jobName, cron, zone, queue, misfire));
        }
        return items;
    }

    private static String checkTimeout(MethodInfo method, String timeout, List<Throwable> problems) {
        if (timeout == null) {
            return null;
        }
        try {
            Duration parsed = Duration.parse(timeout);
            if (parsed.isNegative() || parsed.isZero()) {
                problems.add(invalid(method, "has the timeout '" + timeout + "'; a timeout must be longer than zero"));
            }
            return parsed.toString();
        } catch (DateTimeParseException e) {
            problems.add(invalid(method, "has the timeout '" + timeout
                    + "', which is not an ISO-8601 duration such as PT30S or PT5M"));
            return null;
        }
    }

    /**
     * Resolves the placeholders of a mutex key, {@code {parameterName}} or {@code {position}}, to positions in the
     * stored argument array (which leaves out the JobContext), so that the runtime reads them from the JSON.
     */
    private static String mutexTemplate(MethodInfo method, String mutex, List<String> parameterNames, int contextIndex,
            List<Throwable> problems) {
        if (mutex == null) {
            return null;
        }
        StringBuilder resolved = new StringBuilder();
        Matcher placeholders = MUTEX_PLACEHOLDER.matcher(mutex);
        int end = 0;
        while (placeholders.find()) {
            String literal = mutex.substring(end, placeholders.start());
            if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
                break;
            }
            resolved.append(literal);
            String ref = placeholders.group(1);
            int parameter = ref.chars().allMatch(Character::isDigit) ? Integer.parseInt(ref) : parameterNames.indexOf(ref);
            if (parameter < 0 || parameter >= parameterNames.size() || parameter == contextIndex) {
                problems.add(invalid(method, "has the mutex '" + mutex + "', whose placeholder {" + ref
                        + "} names no stored parameter; use {parameterName} or {position} of one of "
                        + storedParameters(parameterNames, contextIndex)
                        + " (parameter names need the compiler's -parameters flag, which Quarkus projects set)"));
                return null;
            }
            resolved.append('{').append(contextIndex >= 0 && parameter > contextIndex ? parameter - 1 : parameter).append('}');
            end = placeholders.end();
        }
        String rest = mutex.substring(end);
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0 || resolved.length() == 0 && rest.isEmpty()) {
            problems.add(invalid(method, "has the mutex '" + mutex + "' with an unmatched or empty brace; write"
                    + " placeholders as {parameterName} or {position}"));
            return null;
        }
        return resolved.append(rest).toString();
    }

    private static List<String> storedParameters(List<String> parameterNames, int contextIndex) {
        List<String> stored = new ArrayList<>(parameterNames);
        if (contextIndex >= 0) {
            stored.remove(contextIndex);
        }
        return stored;
    }

    private static void checkDeclaration(ClassInfo beanClass, MethodInfo method, List<Throwable> problems) {
        if (Modifier.isPrivate(method.flags())) {
            problems.add(invalid(method, "is private; job methods are called through a generated invoker and recorded"
                    + " through a generated subclass, so make it public, protected or package-private"));
        }
        if (Modifier.isStatic(method.flags())) {
            problems.add(invalid(method, "is static; job methods run on the bean, so make it an instance method"));
        }
        if (Modifier.isAbstract(method.flags())) {
            problems.add(invalid(method, "is abstract; declare job methods with a body on a concrete bean class"));
        }
        if (Modifier.isFinal(method.flags())) {
            problems.add(invalid(method, "is final; the subclass that records `jobs.enqueue(...)` calls must override it"));
        }
        if (Modifier.isFinal(beanClass.flags())) {
            problems.add(invalid(method, "is declared in the final class " + beanClass.name()
                    + "; the subclass that records `jobs.enqueue(...)` calls must extend it"));
        }
        boolean subclassable = beanClass.constructors().stream().anyMatch(c -> !Modifier.isPrivate(c.flags()));
        if (!subclassable) {
            problems.add(invalid(method, "is declared in " + beanClass.name()
                    + ", whose constructors are all private; the recording subclass needs one it can call"));
        }
    }

    static IllegalStateException invalid(MethodInfo method, String problem) {
        return new IllegalStateException("@BackgroundJob method " + describe(method) + " " + problem);
    }

    static String describe(MethodInfo method) {
        return method.declaringClass().name() + "#" + method.name() + "()";
    }

    private static String stringValue(AnnotationInstance annotation, String member, String defaultValue) {
        AnnotationValue value = annotation.value(member);
        return value == null || value.asString().isEmpty() ? defaultValue : value.asString();
    }

    private static List<String> classNames(AnnotationInstance annotation, String member) {
        AnnotationValue value = annotation.value(member);
        return value == null ? List.of() : Arrays.stream(value.asClassArray()).map(t -> t.name().toString()).toList();
    }

    /** Hands the job methods, their invokers and the recording stand-ins to the runtime registry. */
    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    void registerJobs(List<JobMethodBuildItem> jobs, List<CallRecorderClassBuildItem> callRecorders,
            List<RecurringBuildItem> recurringJobs, JobRegistryRecorder recorder, RecorderContext context) {
        recorder.reset();
        for (JobMethodBuildItem job : jobs) {
            RuntimeValue<jakarta.enterprise.invoke.Invoker<Object, Object>> invoker = context
                    .newInstance(job.invoker.getClassName());
            recorder.registerJob(invoker, job.name, job.declaringClass.name().toString(), job.method.name(), job.queue,
                    job.parameterNames, job.parameterTypes, job.contextIndex, job.retries, job.retryDelays, job.retryOn,
                    job.noRetryOn, job.onRetriesExhausted, job.timeout, job.mutex, job.concurrency,
                    job.sensitiveArguments);
        }
        for (RecurringBuildItem recurring : recurringJobs) {
            recorder.registerRecurring(recurring.id, recurring.jobName, recurring.cron, recurring.zone, recurring.queue,
                    recurring.misfire);
        }
        for (CallRecorderClassBuildItem callRecorder : callRecorders) {
            recorder.registerCallRecorder(callRecorder.jobClassName, context.newInstance(callRecorder.recorderClassName));
        }
    }

    /** The storage entities join the default persistence unit. */
    @BuildStep
    void entities(BuildProducer<AdditionalJpaModelBuildItem> models, BuildProducer<NativeImageResourceBuildItem> resources,
            BuildProducer<ReflectiveClassBuildItem> reflection) {
        for (Class<?> entity : ENTITIES) {
            models.produce(new AdditionalJpaModelBuildItem(entity.getName(), Set.of(PersistenceUnitUtil.DEFAULT_PERSISTENCE_UNIT_NAME)));
        }
        List<String> scripts = new ArrayList<>();
        for (String dialect : List.of("mysql", "postgresql", "h2")) {
            for (int version = 1; version <= SchemaInstaller.CURRENT_VERSION; version++) {
                scripts.add("META-INF/hangfire/schema/" + dialect + "/V" + version + ".sql");
            }
        }
        resources.produce(new NativeImageResourceBuildItem(scripts));
        // the history's state data is read back as a plain map
        reflection.produce(ReflectiveClassBuildItem.builder(LinkedHashMap.class).constructors().build());
    }

    /** Puts the configured prefix on the entities' tables. */
    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    HibernateOrmIntegrationStaticConfiguredBuildItem tablePrefix(HangfireBuildTimeConfig config, JobRegistryRecorder recorder) {
        String prefix = config.tablePrefix();
        if (!TABLE_PREFIX.matcher(prefix).matches()) {
            throw new ConfigurationException("quarkus.hangfire.table-prefix is '" + prefix + "'; it must start with a letter"
                    + " and have at most 30 letters, digits or underscores, such as hangfire_", Set.of("quarkus.hangfire.table-prefix"));
        }
        return new HibernateOrmIntegrationStaticConfiguredBuildItem(FEATURE,
                PersistenceUnitUtil.DEFAULT_PERSISTENCE_UNIT_NAME)
                .setInitListener(recorder.tablePrefixListener(prefix, ENTITIES.stream().map(Class::getName).toList()));
    }

}
