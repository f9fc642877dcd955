package io.quarkiverse.hangfire.deployment;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkiverse.hangfire.deployment.JobMethodBuildItem.Parameter;

/**
 * Resolves the placeholders of a mutex key, {@code {parameterName}} or {@code {position}}, to positions in the
 * stored argument array (which leaves out the JobContext), so that the runtime reads them from the JSON.
 */
final class MutexPlaceholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_$]+)\\}");

    private MutexPlaceholders() {
    }

    /**
     * The job's mutex with resolved placeholders, or null when it has none.
     *
     * @throws IllegalArgumentException saying what is wrong, to follow "has the mutex ..." in a message
     */
    static String resolve(JobMethodBuildItem job) {
        return resolve(job, job.mutex, "mutex");
    }

    /**
     * A key template of the job ({@code attribute} is its {@code @BackgroundJob} member: mutex, unique, rateLimitKey)
     * with resolved placeholders, or null when {@code mutex} is null.
     */
    static String resolve(JobMethodBuildItem job, String mutex, String attribute) {
        if (mutex == null) {
            return null;
        }
        List<String> names = job.parameterNames();
        int contextIndex = job.contextIndex();
        StringBuilder resolved = new StringBuilder();
        Matcher placeholders = PLACEHOLDER.matcher(mutex);
        int end = 0;
        while (placeholders.find()) {
            String literal = mutex.substring(end, placeholders.start());
            if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
                break;
            }
            resolved.append(literal);
            String ref = placeholders.group(1);
            int parameter = ref.chars().allMatch(Character::isDigit) ? Integer.parseInt(ref) : names.indexOf(ref);
            if (parameter < 0 || parameter >= names.size() || parameter == contextIndex) {
                throw new IllegalArgumentException("has the " + attribute + " '" + mutex + "', whose placeholder {" + ref
                        + "} names no stored parameter; use {parameterName} or {position} of one of "
                        + job.storedParameters().stream().map(Parameter::name).toList()
                        + " (parameter names need the compiler's -parameters flag, which Quarkus projects set)");
            }
            resolved.append('{').append(contextIndex >= 0 && parameter > contextIndex ? parameter - 1 : parameter).append('}');
            end = placeholders.end();
        }
        String rest = mutex.substring(end);
        if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0 || resolved.length() == 0 && rest.isEmpty()) {
            throw new IllegalArgumentException("has the " + attribute + " '" + mutex + "' with an unmatched or empty brace; write"
                    + " placeholders as {parameterName} or {position}");
        }
        return resolved.append(rest).toString();
    }
}
