package io.quarkiverse.hangfire.runtime.storage;

/**
 * Job ids: the {@code job} table's BIGINT key, handed to users as its decimal string. Every API that takes an id
 * parses it here, so a null, blank or malformed id is one clear {@link IllegalArgumentException} everywhere (a
 * well-formed id that names no job is the caller's business: a {@code JobNotFoundException} or {@code false}).
 */
public final class JobId {

    private static final String VALID = "a job id is the positive decimal number that enqueue, schedule or continueWith"
            + " returned, such as \"42\"";
    private static final int SHOWN = 40;

    private JobId() {
    }

    /**
     * The id's number. Surrounding white space is ignored.
     *
     * @param argument the argument's name, for the message
     * @throws IllegalArgumentException when {@code jobId} is null, blank or not a positive decimal number
     */
    public static long parse(String jobId, String argument) {
        if (jobId == null) {
            throw new IllegalArgumentException("'" + argument + "' must not be null; " + VALID);
        }
        String trimmed = jobId.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("'" + argument + "' is blank; " + VALID);
        }
        long id = 0;
        if (trimmed.length() <= 19 && trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                id = Long.parseLong(trimmed);
            } catch (NumberFormatException e) {
                // beyond a long: malformed
            }
        }
        if (id <= 0) {
            throw new IllegalArgumentException("'" + argument + "' is '" + shown(trimmed) + "', which is not a job id; "
                    + VALID);
        }
        return id;
    }

    /** {@link #parse(String, String)} for an argument named {@code jobId}. */
    public static long parse(String jobId) {
        return parse(jobId, "jobId");
    }

    /** The id as users see it. */
    public static String format(long id) {
        return Long.toString(id);
    }

    // an id comes from anywhere: a message does not repeat a long one whole
    private static String shown(String value) {
        return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "...";
    }
}
