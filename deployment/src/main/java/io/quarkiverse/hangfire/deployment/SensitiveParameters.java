package io.quarkiverse.hangfire.deployment;

import static io.quarkiverse.hangfire.deployment.JobMethodsProcessor.BACKGROUND_JOB;
import static io.quarkiverse.hangfire.deployment.JobMethodBuildItem.describe;
import static io.quarkiverse.hangfire.deployment.JobMethodValidator.invalid;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import io.quarkiverse.hangfire.Sensitive;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Which job parameters are sensitive: annotated {@code @Sensitive}, or named by
 * {@code quarkus.hangfire.sensitive-parameters} ({@code JobName.parameter}, or {@code parameter} for every job).
 * Collects the problems with the collection of job methods, and reports the entries that matched nothing.
 */
final class SensitiveParameters {

    static final DotName SENSITIVE = DotName.createSimple(Sensitive.class);
    private static final String CONFIG = "quarkus.hangfire.sensitive-parameters";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern MUTEX_POSITION = Pattern.compile("\\{(\\d+)}");

    private final Set<String> entries = new LinkedHashSet<>();
    private final Set<String> matched = new LinkedHashSet<>();

    SensitiveParameters(List<String> configured, List<Throwable> problems) {
        for (String raw : configured) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String parameter = entry.substring(entry.lastIndexOf('.') + 1);
            if (!IDENTIFIER.matcher(parameter).matches() || entry.endsWith(".") || entry.startsWith(".")) {
                problems.add(new ConfigurationException(CONFIG + " has the entry '" + entry + "'; write <job name>.<parameter>"
                        + " (PaymentJobs.charge.cardNumber) or a parameter name alone (password)"));
                continue;
            }
            entries.add(entry);
        }
    }

    /** Reports {@code @Sensitive} on parameters of methods that are not job methods. */
    static void checkOnlyOnJobMethods(IndexView index, List<Throwable> problems) {
        Set<MethodInfo> reported = new LinkedHashSet<>();
        for (AnnotationInstance annotation : index.getAnnotations(SENSITIVE)) {
            if (annotation.target().kind() != AnnotationTarget.Kind.METHOD_PARAMETER) {
                continue;
            }
            MethodInfo method = annotation.target().asMethodParameter().method();
            if (!method.hasDeclaredAnnotation(BACKGROUND_JOB) && reported.add(method)) {
                problems.add(new IllegalStateException("@Sensitive is on a parameter of " + describe(method)
                        + ", which is not a @BackgroundJob method; only the arguments of job methods are encrypted, so"
                        + " remove it or make the method a job"));
            }
        }
    }

    /**
     * The positions among the stored arguments (the JobContext left out) of the job's sensitive parameters.
     *
     * @param mutex the mutex template with its placeholders resolved to stored positions, or null
     */
    List<Integer> positions(MethodInfo method, String jobName, List<String> parameterNames, int contextIndex, String mutex,
            List<Throwable> problems) {
        Set<Integer> parameters = new TreeSet<>();
        for (AnnotationInstance annotation : method.annotations(SENSITIVE)) {
            if (annotation.target().kind() == AnnotationTarget.Kind.METHOD_PARAMETER) {
                int parameter = annotation.target().asMethodParameter().position();
                if (parameter == contextIndex) {
                    problems.add(invalid(method, "has @Sensitive on its JobContext parameter, which is supplied by the"
                            + " worker and never stored; remove it"));
                } else {
                    parameters.add(parameter);
                }
            }
        }
        for (int i = 0; i < parameterNames.size(); i++) {
            String name = parameterNames.get(i);
            for (String entry : List.of(name, jobName + "." + name)) {
                if (entries.contains(entry)) {
                    if (i == contextIndex) {
                        if (!entry.equals(name)) {
                            problems.add(new ConfigurationException(CONFIG + " names '" + entry + "', the JobContext"
                                    + " parameter of " + describe(method) + ", which is never stored; remove it"));
                            matched.add(entry);
                        }
                        continue;
                    }
                    matched.add(entry);
                    parameters.add(i);
                }
            }
        }
        List<Integer> positions = new ArrayList<>();
        for (int parameter : parameters) {
            positions.add(contextIndex >= 0 && parameter > contextIndex ? parameter - 1 : parameter);
        }
        if (mutex != null) {
            Matcher placeholders = MUTEX_POSITION.matcher(mutex);
            while (placeholders.find()) {
                int position = Integer.parseInt(placeholders.group(1));
                if (positions.contains(position)) {
                    problems.add(invalid(method, "uses its sensitive parameter '" + parameterNames.get(
                            contextIndex >= 0 && position >= contextIndex ? position + 1 : position) + "' in its mutex key,"
                            + " which is stored and shown in clear; key the mutex on another argument"));
                }
            }
        }
        return positions;
    }

    /** Reports the configured entries that named no parameter of any job method. */
    void reportUnmatched(List<String> jobNames, List<Throwable> problems) {
        for (String entry : entries) {
            if (!matched.contains(entry)) {
                problems.add(new ConfigurationException(CONFIG + " has the entry '" + entry + "', which matches no parameter"
                        + " of any @BackgroundJob method; write <job name>.<parameter> or a parameter name alone. Jobs: "
                        + new TreeSet<>(jobNames)));
            }
        }
    }
}
