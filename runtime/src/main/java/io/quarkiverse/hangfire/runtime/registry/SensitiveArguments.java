package io.quarkiverse.hangfire.runtime.registry;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;

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

    /** Replaces each sensitive argument of an encoded argument array by its encrypted form, a JSON string. */
    static void seal(JobMethod method, ArrayNode stored) {
        if (method.sensitiveArguments().isEmpty()) {
            return;
        }
        ArgumentCipher cipher = cipher();
        for (int position : method.sensitiveArguments()) {
            String json = stored.get(position).toString();
            stored.set(position, TextNode.valueOf(cipher.encrypt(method.name(), position, json, describe(method, position))));
        }
    }

    /**
     * Replaces each encrypted sensitive argument of a stored argument array by the JSON it encrypts. A value stored
     * in clear, before its parameter became sensitive, is read as it is, so that marking a parameter does not fail
     * the jobs already waiting.
     */
    static void open(JobMethod method, ArrayNode stored) {
        if (method.sensitiveArguments().isEmpty()) {
            return;
        }
        ArgumentCipher cipher = null;
        for (int position : method.sensitiveArguments()) {
            JsonNode value = stored.get(position);
            if (value == null || !value.isTextual() || !ArgumentCipher.isEncrypted(value.textValue())) {
                continue;
            }
            if (cipher == null) {
                cipher = cipher();
            }
            String argument = describe(method, position);
            String json = cipher.decrypt(method.name(), position, value.textValue(), argument);
            try {
                stored.set(position, JobArguments.MAPPER.readTree(json));
            } catch (Exception e) {
                // authenticated, so written by a Hangfire of another format; never quote the value
                throw new IllegalStateException(argument + " decrypts to text that is not JSON");
            }
        }
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
