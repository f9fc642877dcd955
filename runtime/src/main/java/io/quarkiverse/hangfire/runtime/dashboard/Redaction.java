package io.quarkiverse.hangfire.runtime.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.Argument;
import io.quarkiverse.hangfire.runtime.registry.JobArguments;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;

/** Hides the values of configured argument and parameter names, before anything leaves for the browser. */
final class Redaction {

    static final String HIDDEN = "***";
    private static final int SHORT_ARGUMENTS = 200;

    private final Set<String> names;

    Redaction(List<String> names) {
        this.names = names.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).filter(n -> !n.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    boolean hides(String name) {
        return name != null && names.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The stored arguments of a job, each with its method parameter's name where this application knows it. */
    List<Argument> arguments(String jobName, List<String> values) {
        List<String> parameterNames = storedParameterNames(jobName);
        List<Argument> arguments = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String name = i < parameterNames.size() ? parameterNames.get(i) : null;
            arguments.add(new Argument(name, hides(name) ? HIDDEN : values.get(i)));
        }
        return arguments;
    }

    /** The arguments as one short line of JSON, for lists. */
    String shortArguments(String jobName, String json) {
        StringBuilder line = new StringBuilder("[");
        for (Argument argument : arguments(jobName, JobArguments.split(jobName, json))) {
            if (line.length() > 1) {
                line.append(", ");
            }
            line.append(argument.value());
            if (line.length() > SHORT_ARGUMENTS) {
                return line.substring(0, SHORT_ARGUMENTS) + "…";
            }
        }
        return line.append(']').toString();
    }

    String parameter(String name, String value) {
        return hides(name) ? HIDDEN : value;
    }

    private static List<String> storedParameterNames(String jobName) {
        JobMethod method = JobRegistry.find(jobName);
        if (method == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(method.parameterNames());
        if (method.contextIndex() >= 0) {
            names.remove(method.contextIndex());
        }
        return names;
    }
}
