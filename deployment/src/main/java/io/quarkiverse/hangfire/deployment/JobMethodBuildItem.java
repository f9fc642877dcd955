package io.quarkiverse.hangfire.deployment;

import java.util.List;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

import io.quarkus.arc.processor.BeanInfo;
import io.quarkus.builder.item.MultiBuildItem;

/**
 * A {@code @BackgroundJob} method found on a bean, with its declaration read as written (defaults applied, nothing
 * checked yet): what the later steps validate, register and generate from.
 */
public final class JobMethodBuildItem extends MultiBuildItem {

    /**
     * What the build knows of one parameter of a job method. Per-parameter facts read from the declaration (such as
     * an annotation on the parameter) belong here, as further components.
     *
     * @param position the position in the method's signature
     * @param name the declared name, or {@code arg<position>} when the class was compiled without -parameters
     * @param jobContext whether this is the {@code JobContext} parameter, which is supplied at run time, not stored
     */
    record Parameter(int position, String name, Type type, boolean jobContext) {
    }

    final BeanInfo bean;
    final ClassInfo declaringClass;
    final MethodInfo method;
    final String name;
    final String queue;
    final List<Parameter> parameters;
    final int retries;
    final List<String> retryDelays;
    final List<String> retryOn;
    final List<String> noRetryOn;
    final String onRetriesExhausted;
    /** As written, or null for none. */
    final String timeout;
    /** As written, with placeholders naming parameters; or null for none. */
    final String mutex;
    final int concurrency;
    /** As written, or null when not written: configuration decides at run time. */
    final Boolean transactional;
    /** The flow control attributes as written (null for an empty string). */
    final Flow flow;

    /** {@code @BackgroundJob}'s priority, unique, uniqueWhileProcessing, uniqueAfterFinish, deadline, rateLimit, rateLimitKey. */
    record Flow(int priority, String unique, boolean uniqueWhileProcessing, String uniqueAfterFinish, String deadline,
            String rateLimit, String rateLimitKey) {
    }

    JobMethodBuildItem(BeanInfo bean, ClassInfo declaringClass, MethodInfo method, String name, String queue,
            List<Parameter> parameters, int retries, List<String> retryDelays, List<String> retryOn, List<String> noRetryOn,
            String onRetriesExhausted, String timeout, String mutex, int concurrency, Flow flow,
            Boolean transactional) {
        this.bean = bean;
        this.declaringClass = declaringClass;
        this.method = method;
        this.name = name;
        this.queue = queue;
        this.parameters = List.copyOf(parameters);
        this.retries = retries;
        this.retryDelays = retryDelays;
        this.retryOn = retryOn;
        this.noRetryOn = noRetryOn;
        this.onRetriesExhausted = onRetriesExhausted;
        this.timeout = timeout;
        this.mutex = mutex;
        this.concurrency = concurrency;
        this.transactional = transactional;
        this.flow = flow;
    }

    /** The position of the {@code JobContext} parameter, or -1. */
    int contextIndex() {
        return parameters.stream().filter(Parameter::jobContext).mapToInt(Parameter::position).findFirst().orElse(-1);
    }

    /** The parameters whose values are stored with the job: all but the {@code JobContext}. */
    List<Parameter> storedParameters() {
        return parameters.stream().filter(p -> !p.jobContext()).toList();
    }

    List<String> parameterNames() {
        return parameters.stream().map(Parameter::name).toList();
    }

    List<String> parameterTypes() {
        return parameters.stream().map(p -> p.type().toString()).toList();
    }

    /** The declaring class and method, as messages name them. */
    String describe() {
        return describe(method);
    }

    static String describe(MethodInfo method) {
        return method.declaringClass().name() + "#" + method.name() + "()";
    }
}
