package io.quarkiverse.hangfire.runtime.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.hibernate.Session;

import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.ExceptionInfo;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.HistoryEntry;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardViews.JobItem;
import io.quarkiverse.hangfire.runtime.dashboard.RedactedJson.Rendered;
import io.quarkiverse.hangfire.runtime.storage.JobReads;
import io.quarkiverse.hangfire.runtime.storage.JobReads.Listed;
import io.quarkiverse.hangfire.runtime.storage.JobReads.Parameter;

/**
 * What the dashboard shows of a job's stored texts, wherever it shows the job (lists, the job's page, a search's
 * matches): its secrets first (what its arguments and its parameters with a redacted name hide), then each text with
 * them hidden and cut to its bound ({@link ShownText}). Texts are read as prefixes one character longer than what
 * is used, which tells whether they are longer, and jobs {@value #CHUNK} at a time.
 */
@Singleton
public class ShownJobs {

    /** Jobs are read this many at a time, so that a page holds at most this many argument prefixes in memory. */
    static final int CHUNK = 20;
    private static final int SHORT_ARGUMENTS = 200;
    /**
     * The characters read of a job's arguments: one more than what is used, which tells whether they are longer (lists
     * do not ask for lengths: on PostgreSQL and H2 that reads the whole text).
     */
    static final int ARGUMENTS_PROBE = ShownText.ARGUMENTS_READ + 1;


    @Inject
    DashboardConfig config;

    private Redaction redaction;
    private List<String> redactedNames;

    @PostConstruct
    void readRedactedNames() {
        redaction = new Redaction(config.dashboard().redact());
        redactedNames = config.dashboard().redact().stream().map(n -> n.trim().toLowerCase(Locale.ROOT))
                .filter(n -> !n.isEmpty()).toList();
    }

    Redaction redaction() {
        return redaction;
    }

    /** A job as lists show it, and the texts a search looks through. */
    record Shown(JobItem item, List<String> searchable) {
    }

    /**
     * The jobs {@code ids} (a chunk: at most {@value #CHUNK}) as lists show them, in the order of {@code ids};
     * with {@code withSearchable}, also every text a search may match, as the job's page shows it.
     */
    List<Shown> shown(Session session, List<Long> ids, boolean withSearchable, ShownText text, int timeout) {
        if (ids.isEmpty()) {
            return List.of();
        }
        // jobs gone since the ids were read are left out
        List<Listed> rows = JobReads.listed(session, ids, ARGUMENTS_PROBE, timeout);
        Map<Long, List<Parameter>> secretParameters = secretParameters(session, ids, timeout);
        Map<Long, List<String>> failures = withSearchable
                ? JobReads.failureData(session, ids, ShownText.DATA_READ + 1, CHUNK * CHUNK, timeout)
                : Map.of();
        List<Shown> shown = new ArrayList<>(rows.size());
        for (Listed row : rows) {
            long id = row.id();
            List<String> secrets = secrets(row, secretParameters.getOrDefault(id, List.of()));
            Redaction.Arguments arguments = redaction.arguments(row.jobName(),
                    Read.probed(row.arguments(), ShownText.ARGUMENTS_READ).text(), new ArrayList<>(), ShownText.VALUE);
            List<String> values = arguments.values() == null ? null
                    : arguments.values().stream().map(v -> redaction.scrub(v.text(), secrets, v.cut())).toList();
            Map<String, Long> truncated = new LinkedHashMap<>();
            String shortArguments = shortArguments(arguments, values, text, truncated);
            String reason = text.free(row.stateReason(), ShownText.VALUE, secrets, truncated, "stateReason");
            JobItem item = new JobItem(Long.toString(id), row.jobName(), row.queue(), row.state(), reason, row.attempt(),
                    row.createdAt(), row.stateChangedAt(), row.scheduledAt(), shortArguments, truncated);
            List<String> searchable = new ArrayList<>();
            if (withSearchable) {
                if (values != null) {
                    searchable.addAll(values);
                }
                if (reason != null) {
                    searchable.add(reason);
                }
                ShownText unbounded = new ShownText(redaction);
                for (String failure : failures.getOrDefault(id, List.of())) {
                    ExceptionInfo e = exception(new HistoryEntry(JobState.FAILED, null, null,
                            stateData(Read.probed(failure, ShownText.DATA_READ), secrets, unbounded, new LinkedHashMap<>()),
                            null));
                    searchable.add(String.valueOf(e.type()));
                    searchable.add(String.valueOf(e.message()));
                    searchable.add(String.valueOf(e.stackTrace()));
                }
            }
            shown.add(new Shown(item, searchable));
        }
        return shown;
    }

    /**
     * A job's secrets, the same wherever it is shown: what its arguments (the first {@link ShownText#ARGUMENTS_READ}
     * characters) and its parameters with a redacted name hide. {@code row} was read with {@link #ARGUMENTS_PROBE}.
     */
    List<String> secrets(Listed row, List<Parameter> secretParameters) {
        List<String> secrets = new ArrayList<>();
        redaction.arguments(row.jobName(), Read.probed(row.arguments(), ShownText.ARGUMENTS_READ).text(), secrets,
                ShownText.VALUE);
        for (Parameter p : secretParameters) {
            parameter(p.name(), Read.probed(p.value().text(), ShownText.DATA_READ), secrets);
        }
        return secrets;
    }

    /** The parameters with a redacted name of the jobs {@code ids}, by job, each value read one past what is used. */
    Map<Long, List<Parameter>> secretParameters(Session session, List<Long> ids, int timeout) {
        return JobReads.parametersNamed(session, ids, redactedNames, ShownText.DATA_READ + 1, timeout);
    }

    /** The arguments as one short line of JSON, for lists. */
    private static String shortArguments(Redaction.Arguments arguments, List<String> values, ShownText text,
            Map<String, Long> truncated) {
        if (values == null) {
            return "(" + arguments.hiddenBecause() + ")";
        }
        StringBuilder line = new StringBuilder("[");
        boolean cut = arguments.values().stream().anyMatch(Rendered::cut);
        for (String value : values) {
            if (line.length() > 1) {
                line.append(", ");
            }
            line.append(value);
            if (line.length() > SHORT_ARGUMENTS) {
                break;
            }
        }
        if (line.length() > SHORT_ARGUMENTS || cut) {
            truncated.put("arguments", null);
            return text.free(line.substring(0, Math.min(line.length(), SHORT_ARGUMENTS)), ShownText.VALUE, List.of(),
                    new LinkedHashMap<>(), "arguments") + "…";
        }
        return text.free(line.append(']').toString(), ShownText.VALUE, List.of(), new LinkedHashMap<>(), "arguments");
    }

    /** A state's data as shown: free text, stack traces longer than other values. */
    Map<String, String> stateData(Read read, List<String> secrets, ShownText text, Map<String, Long> truncated) {
        Map<String, String> data = new LinkedHashMap<>();
        if (read.text() == null) {
            return data;
        }
        // names hidden here are not the job's secrets: lists do not read the data
        Map<String, String> fields = redaction.stateData(read.text(), new ArrayList<>());
        int index = 0;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            String name = "data." + field.getKey();
            String value = field.getValue();
            int limit = field.getKey().equals("stackTrace") ? ShownText.STACK_TRACE : ShownText.VALUE;
            // only the last value can have been cut where the read ended; its stored length is not known
            boolean cutByRead = read.cut() && ++index == fields.size();
            data.put(field.getKey(), text.free(value, cutByRead ? value.length() + 1L : value.length(), limit, secrets,
                    truncated, name));
            if (cutByRead) {
                truncated.put(name, null);
            }
        }
        return data;
    }

    static ExceptionInfo exception(HistoryEntry failed) {
        Map<String, String> data = failed.data();
        Map<String, Long> truncated = new LinkedHashMap<>();
        if (failed.truncated() != null) {
            failed.truncated().forEach((field, length) -> {
                if (field.equals("data.exceptionMessage")) {
                    truncated.put("message", length);
                } else if (field.equals("data.stackTrace")) {
                    truncated.put("stackTrace", length);
                }
            });
        }
        return new ExceptionInfo(data.get("exceptionType"), data.get("exceptionMessage"), data.get("stackTrace"), truncated);
    }

    /** A parameter value rendered from what was read of it: cut when that was not all of it. */
    Rendered parameter(String name, Read read, List<String> secrets) {
        Rendered value = redaction.parameter(name, read.text() == null ? "null" : read.text(), secrets, ShownText.VALUE);
        return value.cut() || !read.cut() ? value : new Rendered(value.text(), true, null);
    }

    /**
     * What was read of a stored text.
     *
     * @param cut whether the stored text is longer
     * @param length the stored length, when it was asked for
     */
    record Read(String text, boolean cut, Long length) {

        /** From a read of {@code max + 1} characters, which tells whether there are more than {@code max}. */
        static Read probed(String text, int max) {
            return text == null || text.length() <= max ? new Read(text, false, null)
                    : new Read(text.substring(0, max), true, null);
        }

        /** From a read that asked for the stored length. */
        static Read measured(JobReads.Text read) {
            String text = read.text();
            Long stored = read.length();
            return new Read(text, text != null && stored != null && stored > text.length(), stored);
        }
    }

    static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return chunks;
    }
}
