package io.quarkiverse.hangfire.runtime.registry;

import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.hangfire.runtime.crypto.ArgumentCipher;
import io.quarkus.arc.Arc;

/**
 * The step of encoding that encrypts the arguments of {@code @Sensitive} parameters, its inverse for the worker,
 * and the display that hides them. Jobs without sensitive parameters pass through untouched.
 */
public final class SensitiveArguments {

    /** What the monitoring API and the dashboard show instead of a sensitive argument. */
    public static final String HIDDEN = "***";

    private SensitiveArguments() {
    }

    /** The stored text of the sensitive argument at {@code position}, given its JSON: that JSON, encrypted. */
    static String seal(JobMethod method, int position, String json) {
        return cipher().encrypt(method.name(), position, json, describe(method, position));
    }

    /** Whether a stored string is an encrypted argument (rather than one stored before its parameter became sensitive). */
    static boolean isSealed(String storedText) {
        return ArgumentCipher.isEncrypted(storedText);
    }

    /**
     * The JSON that the stored text of the sensitive argument at {@code position} encrypts. A value stored in
     * clear, before its parameter became sensitive, is never passed here: it is read as it is, so that marking a
     * parameter does not fail the jobs already waiting.
     */
    static String open(JobMethod method, int position, String storedText) {
        return cipher().decrypt(method.name(), position, storedText, describe(method, position));
    }

    /**
     * Each stored argument's JSON as {@link JobArguments#split} gives it, with {@link #HIDDEN} for the encrypted ones
     * and for those at the sensitive positions of the job (when this application knows it), encrypted or not.
     */
    static List<String> hide(String jobName, List<String> parts) {
        JobMethod method = jobName == null ? null : JobRegistry.find(jobName);
        List<String> shown = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            boolean encrypted = part.startsWith("\"" + ArgumentCipher.PREFIX);
            shown.add(encrypted || (method != null && method.isSensitive(i)) ? HIDDEN : part);
        }
        return shown;
    }

    /** The jobs that have sensitive parameters, for the startup check that a key is configured. */
    public static List<String> jobsWithSensitiveArguments() {
        return JobRegistry.names().stream().filter(name -> !JobRegistry.byName(name).sensitiveArguments().isEmpty())
                .toList();
    }

    /** "Argument 2 (token) of job Jobs.send", for messages. */
    static String describe(JobMethod method, int position) {
        int parameter = method.contextIndex() >= 0 && position >= method.contextIndex() ? position + 1 : position;
        return "Argument " + (position + 1) + " (" + method.parameterNames().get(parameter) + ") of job " + method.name();
    }

    private static ArgumentCipher cipher() {
        return Arc.container().instance(ArgumentCipher.class).get();
    }
}
