package io.quarkiverse.hangfire.deployment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.Recurring;
import io.quarkiverse.hangfire.runtime.config.HangfireBuildTimeConfig;
import io.quarkiverse.hangfire.runtime.registry.JobRegistryRecorder;
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
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveHierarchyBuildItem;
import io.quarkus.deployment.recording.RecorderContext;
import io.quarkus.runtime.RuntimeValue;

/**
 * Build steps for the application's job methods, in the order data flows: collect the {@code @BackgroundJob}
 * methods and their {@code @Recurring} schedules, validate them all at once, register their parameter types for
 * reflection and generate their invokers (the recording subclasses are {@link CallRecorderGenerator}'s), and hand
 * it all to the runtime registry. Build items carry the data from one step to the next.
 */
class JobMethodsProcessor {

    static final DotName BACKGROUND_JOB = DotName.createSimple(BackgroundJob.class);
    static final DotName JOB_CONTEXT = DotName.createSimple(JobContext.class);

    private static final DotName RECURRING = DotName.createSimple(Recurring.class);
    private static final DotName RECURRING_LIST = DotName.createSimple(Recurring.List.class);

    /** A class that declares job methods and has no scope becomes a {@code @Singleton} bean. */
    @BuildStep
    AutoAddScopeBuildItem jobClassesAreBeans() {
        return AutoAddScopeBuildItem.builder().containsAnnotations(BACKGROUND_JOB).defaultScope(BuiltinScope.SINGLETON)
                .unremovable().reason("declares @BackgroundJob methods").build();
    }

    /** Job filters are found by type at runtime, never injected by the application: keep them. */
    @BuildStep
    UnremovableBeanBuildItem keepJobFilters() {
        return UnremovableBeanBuildItem.beanTypes(io.quarkiverse.hangfire.JobFilter.class);
    }

    @BuildStep
    UnremovableBeanBuildItem keepJobClasses() {
        return new UnremovableBeanBuildItem(new UnremovableBeanBuildItem.BeanClassAnnotationExclusion(BACKGROUND_JOB));
    }

    /** Reads every {@code @BackgroundJob} method of a bean, and its {@code @Recurring} schedules, as declared. */
    @BuildStep
    void collectJobMethods(BeanRegistrationPhaseBuildItem registration, BuildProducer<JobMethodBuildItem> jobs,
            BuildProducer<RecurringBuildItem> recurringJobs) {
        // annotations as transformed by extensions, not only as compiled
        AnnotationStore annotations = registration.getContext().get(BuildExtension.Key.ANNOTATION_STORE);
        for (BeanInfo bean : registration.getContext().beans().classBeans()) {
            ClassInfo beanClass = bean.getTarget().get().asClass();
            for (MethodInfo method : beanClass.methods()) {
                AnnotationInstance job = annotations.getAnnotation(method, BACKGROUND_JOB);
                if (job == null) {
                    continue;
                }
                String name = stringValue(job, "name", beanClass.simpleName() + "." + method.name());
                jobs.produce(new JobMethodBuildItem(bean, beanClass, method, name, stringValue(job, "queue", "default"),
                        parameters(method),
                        job.value("retries") == null ? BackgroundJob.DEFAULT_RETRIES : job.value("retries").asInt(),
                        job.value("retryDelays") == null ? List.of() : List.of(job.value("retryDelays").asStringArray()),
                        classNames(job, "retryOn"), classNames(job, "noRetryOn"),
                        job.value("onRetriesExhausted") == null ? BackgroundJob.RetriesExhausted.FAIL.name()
                                : job.value("onRetriesExhausted").asEnum(),
                        stringValue(job, "timeout", null), stringValue(job, "mutex", null),
                        job.value("concurrency") == null ? 0 : job.value("concurrency").asInt(),
                        new JobMethodBuildItem.Flow(job.value("priority") == null ? 0 : job.value("priority").asInt(),
                                stringValue(job, "unique", null),
                                job.value("uniqueWhileProcessing") != null && job.value("uniqueWhileProcessing").asBoolean(),
                                stringValue(job, "uniqueAfterFinish", null), stringValue(job, "deadline", null),
                                stringValue(job, "rateLimit", null), stringValue(job, "rateLimitKey", null)),
                        job.value("transactional") == null ? null : job.value("transactional").asBoolean()));
                for (AnnotationInstance recurring : recurringAnnotations(method, annotations)) {
                    recurringJobs.produce(new RecurringBuildItem(stringValue(recurring, "id", name), name, method,
                            recurring.value("cron").asString().trim(), stringValue(recurring, "zone", "UTC"),
                            stringValue(recurring, "queue", null),
                            recurring.value("misfire") == null ? Misfire.RELAXED.name() : recurring.value("misfire").asEnum()));
                }
            }
        }
    }

    private static List<JobMethodBuildItem.Parameter> parameters(MethodInfo method) {
        List<JobMethodBuildItem.Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < method.parametersCount(); i++) {
            Type type = method.parameterType(i);
            String name = method.parameterName(i) == null ? "arg" + i : method.parameterName(i);
            parameters.add(new JobMethodBuildItem.Parameter(i, name, type, type.name().equals(JOB_CONTEXT)));
        }
        return parameters;
    }

    private static List<AnnotationInstance> recurringAnnotations(MethodInfo method, AnnotationStore annotations) {
        List<AnnotationInstance> declared = new ArrayList<>();
        AnnotationInstance single = annotations.getAnnotation(method, RECURRING);
        if (single != null) {
            declared.add(single);
        }
        AnnotationInstance container = annotations.getAnnotation(method, RECURRING_LIST);
        if (container != null) {
            declared.addAll(List.of(container.value().asNestedArray()));
        }
        return declared;
    }

    /** Checks every job method and schedule, and reports all problems in one failed build. */
    @BuildStep
    JobMethodsCheckedBuildItem validateJobMethods(List<JobMethodBuildItem> jobs, List<RecurringBuildItem> recurring,
            BeanArchiveIndexBuildItem beanArchive, CombinedIndexBuildItem combined,
            BuildProducer<ValidationErrorBuildItem> errors) {
        JobMethodValidator validator = new JobMethodValidator(new StorableTypes(combined.getComputingIndex()));
        validator.checkPlacement(beanArchive.getIndex());
        validator.checkNames(jobs);
        jobs.forEach(validator::check);
        validator.checkRecurring(recurring, jobs);
        if (!validator.problems().isEmpty()) {
            errors.produce(new ValidationErrorBuildItem(validator.problems()));
        }
        return new JobMethodsCheckedBuildItem(validator.problems().isEmpty());
    }

    /**
     * The stored positions of each job's sensitive arguments ({@code @Sensitive}, or named by
     * {@code quarkus.hangfire.sensitive-parameters}), with the misplaced or unmatched markings reported.
     */
    @BuildStep
    SensitiveArgumentsBuildItem findSensitiveArguments(List<JobMethodBuildItem> jobs, HangfireBuildTimeConfig config,
            CombinedIndexBuildItem combined, BuildProducer<ValidationErrorBuildItem> errors) {
        List<Throwable> problems = new ArrayList<>();
        SensitiveParameters sensitive = new SensitiveParameters(config.sensitiveParameters().orElse(List.of()), problems);
        SensitiveParameters.checkOnlyOnJobMethods(combined.getIndex(), problems);
        Map<String, List<Integer>> positions = new HashMap<>();
        for (JobMethodBuildItem job : jobs) {
            String mutex;
            try {
                mutex = MutexPlaceholders.resolve(job);
            } catch (IllegalArgumentException e) {
                mutex = null; // reported by validateJobMethods
            }
            positions.put(job.name, sensitive.positions(job.method, job.name, job.parameterNames(), job.contextIndex(), mutex,
                    problems));
        }
        sensitive.reportUnmatched(jobs.stream().map(job -> job.name).toList(), problems);
        if (!problems.isEmpty()) {
            errors.produce(new ValidationErrorBuildItem(problems));
        }
        return new SensitiveArgumentsBuildItem(positions);
    }

    /** Arguments are read back from JSON by reflection, which a native image allows only for registered types. */
    @BuildStep
    void registerParameterTypesForReflection(List<JobMethodBuildItem> jobs, CombinedIndexBuildItem combined,
            BuildProducer<ReflectiveHierarchyBuildItem> reflection) {
        StorableTypes storable = new StorableTypes(combined.getComputingIndex());
        for (JobMethodBuildItem job : jobs) {
            for (JobMethodBuildItem.Parameter parameter : job.storedParameters()) {
                Type type = parameter.type();
                if (type.kind() != Type.Kind.PRIMITIVE && storable.problem(type) == null) {
                    reflection.produce(ReflectiveHierarchyBuildItem.builder(type).index(combined.getComputingIndex())
                            .source("@BackgroundJob " + job.name).build());
                }
            }
        }
    }

    /**
     * An ArC invoker per valid job method. ArC takes invokers only until it validates the beans; producing
     * validation errors (an invoker ArC refuses) keeps this step before that.
     */
    @BuildStep
    void generateInvokers(JobMethodsCheckedBuildItem checked, List<JobMethodBuildItem> jobs, InvokerFactoryBuildItem factory,
            BuildProducer<JobInvokerBuildItem> invokers, BuildProducer<ValidationErrorBuildItem> errors) {
        if (!checked.valid) {
            return;
        }
        List<Throwable> refused = new ArrayList<>();
        for (JobMethodBuildItem job : jobs) {
            try {
                invokers.produce(new JobInvokerBuildItem(job.name,
                        factory.createInvoker(job.bean, job.method).withInstanceLookup().build()));
            } catch (RuntimeException e) {
                refused.add(new IllegalStateException("@BackgroundJob method " + job.describe()
                        + " cannot be invoked: " + e.getMessage(), e));
            }
        }
        if (!refused.isEmpty()) {
            errors.produce(new ValidationErrorBuildItem(refused));
        }
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
    void registerJobs(List<JobMethodBuildItem> jobs, List<JobInvokerBuildItem> invokers,
            List<CallRecorderClassBuildItem> callRecorders, List<RecurringBuildItem> recurringJobs,
            SensitiveArgumentsBuildItem sensitive, JobRegistryRecorder recorder, RecorderContext context) {
        recorder.reset();
        Map<String, String> invokerClasses = new HashMap<>();
        invokers.forEach(invoker -> invokerClasses.put(invoker.jobName, invoker.invoker.getClassName()));
        for (JobMethodBuildItem job : jobs) {
            String invokerClass = invokerClasses.get(job.name);
            if (invokerClass == null) {
                continue; // invalid declarations have none; the build fails on them
            }
            RuntimeValue<jakarta.enterprise.invoke.Invoker<Object, Object>> invoker = context.newInstance(invokerClass);
            recorder.registerJob(invoker, job.name, job.declaringClass.name().toString(), job.method.name(), job.queue,
                    job.parameterNames(), job.parameterTypes(), job.contextIndex(), job.retries, job.retryDelays,
                    job.retryOn, job.noRetryOn, job.onRetriesExhausted,
                    job.timeout == null ? null : Duration.parse(job.timeout).toString(), MutexPlaceholders.resolve(job),
                    job.concurrency, sensitive.positions.getOrDefault(job.name, List.of()), job.flow.priority(),
                    MutexPlaceholders.resolve(job, job.flow.unique(), "unique"), job.flow.uniqueWhileProcessing(),
                    job.flow.uniqueAfterFinish() == null ? null : Duration.parse(job.flow.uniqueAfterFinish()).toString(),
                    job.flow.deadline() == null ? null : Duration.parse(job.flow.deadline()).toString(),
                    job.flow.rateLimit(), MutexPlaceholders.resolve(job, job.flow.rateLimitKey(), "rateLimitKey"),
                    job.transactional);
        }
        for (RecurringBuildItem recurring : recurringJobs) {
            recorder.registerRecurring(recurring.id, recurring.jobName, recurring.cron, recurring.zone, recurring.queue,
                    recurring.misfire);
        }
        for (CallRecorderClassBuildItem callRecorder : callRecorders) {
            recorder.registerCallRecorder(callRecorder.jobClassName, context.newInstance(callRecorder.recorderClassName));
        }
    }
}
