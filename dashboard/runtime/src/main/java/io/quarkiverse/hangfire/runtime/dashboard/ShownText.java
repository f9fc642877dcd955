package io.quarkiverse.hangfire.runtime.dashboard;

import java.util.Collection;
import java.util.Map;

import io.quarkiverse.hangfire.runtime.dashboard.RedactedJson.Rendered;

/**
 * How much stored text one dashboard answer carries. A viewer must not be able to make the application load or
 * send a stored text whole (an argument or a stack trace can be megabytes): the queries read a bounded prefix
 * of each text ({@code substring} in SQL), and this cuts what is shown of each to a few KiB and all the texts of
 * one answer to {@value #PER_ANSWER} characters. Every cut is recorded in the {@code truncated} map of the
 * object that holds the text (field name to the stored length in characters, null when unknown), which the UI
 * shows as "… (cut)".
 */
final class ShownText {

    /** The most shown of one argument value, parameter value, log line, reason, message or state data value. */
    static final int VALUE = 4096;
    /** The most shown of one stack trace. */
    static final int STACK_TRACE = 16384;
    /** The most read of a job's or recurring job's arguments: what can be rendered, and where its secrets are found. */
    static final int ARGUMENTS_READ = 65536;
    /** The most read of a state's data (which holds a stack trace) or of a parameter value. */
    static final int DATA_READ = STACK_TRACE + 2 * VALUE;
    /** Read beyond a limit, so that a secret or a {@code name=value} across the cut is still recognised. */
    static final int MARGIN = 1024;
    /** The most characters of stored text in one answer. */
    static final int PER_ANSWER = 1 << 20;

    private final Redaction redaction;
    private int remaining = PER_ANSWER;

    ShownText(Redaction redaction) {
        this.redaction = redaction;
    }

    /**
     * Free text as shown: the job's secrets hidden, cut at {@code limit}.
     *
     * @param read what was read of the text (null for none)
     * @param stored the stored length, to tell whether {@code read} is all of it
     */
    String free(String read, long stored, int limit, Collection<String> secrets, Map<String, Long> truncated,
            String field) {
        if (read == null) {
            return null;
        }
        boolean readCut = stored > read.length();
        String text = redaction.scrub(read, secrets, readCut);
        int max = Math.min(limit, remaining);
        boolean cut = readCut;
        if (text.length() > max) {
            text = redaction.scrub(text.substring(0, max), secrets, true);
            cut = true;
        }
        remaining -= Math.min(remaining, text.length());
        if (cut) {
            truncated.put(field, stored);
        }
        return text;
    }

    /** Free text whose stored length is what was read. */
    String free(String text, int limit, Collection<String> secrets, Map<String, Long> truncated, String field) {
        return text == null ? null : free(text, text.length(), limit, secrets, truncated, field);
    }

    /** A rendered JSON value (its own limit applied already) with the job's secrets hidden. */
    String json(Rendered value, Collection<String> secrets, Map<String, Long> truncated, String field) {
        String text = redaction.scrub(value.text(), secrets, value.cut());
        boolean cut = value.cut();
        if (text.length() > remaining) {
            text = redaction.scrub(text.substring(0, remaining), secrets, true);
            cut = true;
        }
        remaining -= text.length();
        if (cut) {
            truncated.put(field, value.length());
        }
        return text;
    }
}
