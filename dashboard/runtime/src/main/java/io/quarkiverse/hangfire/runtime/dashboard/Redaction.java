package io.quarkiverse.hangfire.runtime.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.quarkiverse.hangfire.runtime.dashboard.RedactedJson.Rendered;
import io.quarkiverse.hangfire.runtime.registry.JobMethod;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkiverse.hangfire.runtime.registry.MutexTemplate;
import io.quarkiverse.hangfire.runtime.registry.SensitiveArguments;
import io.quarkiverse.hangfire.runtime.storage.RateLimits;

/**
 * Hides secrets before anything leaves for the browser (see {@code quarkus.hangfire.dashboard.redact}):
 * <ul>
 * <li>in stored JSON (arguments, recurring jobs' arguments, job parameters), the value of every argument,
 * parameter, object field or map key with a redacted name, at any depth, compared without regard to case
 * (through {@link RedactedJson});</li>
 * <li>strings encrypted at rest ({@code "enc:…"});</li>
 * <li>all the arguments of a job this application does not know: it cannot tell which of them are secret;</li>
 * <li>the values in the name of a rate limit split by a key template that takes a secret argument;</li>
 * <li>in free text (reasons, exception messages and stack traces, state data, log lines, and the rendered values
 * themselves), every occurrence of a value hidden above (the job's secrets, from {@value #MIN_SECRET}
 * characters), and the value in {@code name=value}, {@code name: value} and {@code "name":"value"} for the
 * redacted names.</li>
 * </ul>
 * Search matches what this class lets through, never the stored text, so a hidden value cannot be found.
 */
final class Redaction {

    /** One placeholder for every hidden value, redacted or encrypted. */
    static final String HIDDEN = SensitiveArguments.HIDDEN;
    /** Shorter secrets are not hidden in free text, where they would hide every "a". */
    static final int MIN_SECRET = 4;

    /**
     * The rendered arguments of a job.
     *
     * @param names the method's parameter names, empty when the job is unknown
     * @param values each argument's rendering; null when none is shown
     * @param hiddenBecause why no argument is shown, or null
     */
    record Arguments(List<String> names, List<Rendered> values, String hiddenBecause) {
    }

    private final Set<String> names;
    /** {@code name=value}, {@code name: value}, {@code "name":"value"}: group 1 up to the value, group 2 the value. */
    private final Pattern namedValue;

    Redaction(List<String> names) {
        this.names = names.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).filter(n -> !n.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.namedValue = this.names.isEmpty() ? null
                : Pattern.compile("((?:" + this.names.stream().map(Pattern::quote).collect(Collectors.joining("|"))
                        + ")[\"']?\\s*[:=]\\s*)(\"(?:[^\"\\\\\\n]|\\\\.)*\"?|'[^'\\n]*'?|[^\\s,;&'\"}\\])]+)",
                        Pattern.CASE_INSENSITIVE);
    }

    boolean hides(String name) {
        return name != null && names.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Renders a job's stored arguments ({@code stored}: what was read of them), adding what it hides to
     * {@code secrets}. Free-text hiding of those secrets is applied later, by {@link #scrub}, once all the
     * job's secrets are known.
     */
    Arguments arguments(String jobName, String stored, Collection<String> secrets, int limit) {
        JobMethod method = JobRegistry.find(jobName);
        List<String> parameterNames = method == null ? List.of() : storedParameterNames(method);
        List<Rendered> values = new RedactedJson(this::hides, secrets, limit).elements(stored,
                i -> method != null && method.isSensitive(i) || i < parameterNames.size() && hides(parameterNames.get(i)));
        if (method == null) {
            // still read, for the secrets of nested names; but nothing tells which top-level argument is secret
            return new Arguments(List.of(), null, "hidden: this application has no job named '" + jobName
                    + "', so the dashboard cannot tell which of its arguments are secret");
        }
        if (values == null) {
            return new Arguments(parameterNames, null, "hidden: the stored arguments are not a JSON array");
        }
        return new Arguments(parameterNames, values, null);
    }

    /** A job parameter's stored JSON ({@code stored}: what was read of it), rendered like the arguments. */
    Rendered parameter(String name, String stored, Collection<String> secrets, int limit) {
        Rendered value = new RedactedJson(this::hides, secrets, limit).value(stored, hides(name));
        return value != null ? value : new Rendered(HIDDEN, false, null);
    }

    /**
     * A rate limit's name. A job's limit split by a key template that takes a secret argument (redacted by name or
     * {@code @Sensitive}) shows the template's shape with every value hidden: no job is at hand whose secrets would
     * tell which part of the key is secret. The limit of a job this application does not know shows no key; any
     * other name is free text.
     */
    String rateLimitName(String name) {
        if (!name.startsWith(RateLimits.JOB)) {
            return scrub(name, List.of(), false);
        }
        JobMethod method = RateLimits.limitedJob(name);
        if (method == null) {
            return RateLimits.JOB + HIDDEN;
        }
        MutexTemplate key = method.flow().rateLimitKey();
        List<String> parameterNames = storedParameterNames(method);
        if (key != null && key.uses(i -> method.isSensitive(i) || i < parameterNames.size() && hides(parameterNames.get(i)))) {
            return RateLimits.JOB + method.name() + ":" + key.shape(HIDDEN);
        }
        return scrub(name, List.of(), false);
    }

    /** A state's data: free-text values by name; values of redacted names hidden. */
    java.util.Map<String, String> stateData(String stored, Collection<String> secrets) {
        return new RedactedJson(this::hides, secrets, Integer.MAX_VALUE).fields(stored);
    }

    /**
     * Free text with the job's secrets and the values of redacted names hidden. When {@code cut}, the text was
     * cut after its end, and a start of a secret at its end is hidden too.
     */
    String scrub(String text, Collection<String> secrets, boolean cut) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        List<String> longestFirst = secrets.stream().filter(s -> s != null && s.length() >= MIN_SECRET).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String secret : longestFirst) {
            if (result.contains(secret)) {
                result = result.replace(secret, HIDDEN);
            }
        }
        if (namedValue != null) {
            Matcher m = namedValue.matcher(result);
            StringBuilder out = new StringBuilder(result.length());
            while (m.find()) {
                String value = m.group(2);
                String quote = value.startsWith("\"") || value.startsWith("'") ? value.substring(0, 1) : "";
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + quote + HIDDEN + quote));
            }
            m.appendTail(out);
            result = out.toString();
        }
        return cut ? hideSecretStartAtEnd(result, longestFirst) : result;
    }

    /** Hides the end of a cut text when it is the start of a secret ({@value #MIN_SECRET} characters or more). */
    private static String hideSecretStartAtEnd(String text, List<String> secrets) {
        for (String secret : secrets) {
            for (int n = Math.min(secret.length() - 1, text.length()); n >= MIN_SECRET; n--) {
                if (text.regionMatches(text.length() - n, secret, 0, n)) {
                    return text.substring(0, text.length() - n) + HIDDEN;
                }
            }
        }
        return text;
    }

    private static List<String> storedParameterNames(JobMethod method) {
        List<String> names = new ArrayList<>(method.parameterNames());
        if (method.contextIndex() >= 0) {
            names.remove(method.contextIndex());
        }
        return names;
    }
}
