package io.quarkiverse.hangfire.runtime.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@code @BackgroundJob(mutex = ...)} key with its argument placeholders resolved at build time to
 * positions in the stored argument array: {@code "invoice-{0}"}. The key of a job is computed from its stored
 * JSON arguments, so it needs neither the job's classes nor a decoding of its arguments.
 */
public final class MutexTemplate {

    /** A literal text, or the stored argument at {@code argument} when the text is null. */
    private record Part(String text, int argument) {
    }

    private final String template;
    private final List<Part> parts;

    private MutexTemplate(String template, List<Part> parts) {
        this.template = template;
        this.parts = parts;
    }

    /** Parses a template whose placeholders are stored-argument positions, as the build writes them. */
    public static MutexTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                parts.add(new Part(template.substring(i), -1));
                break;
            }
            if (open > i) {
                parts.add(new Part(template.substring(i, open), -1));
            }
            int close = template.indexOf('}', open);
            parts.add(new Part(null, Integer.parseInt(template.substring(open + 1, close))));
            i = close + 1;
        }
        return new MutexTemplate(template, List.copyOf(parts));
    }

    /** The key for one job: strings as they are, other values as compact JSON. */
    public String key(String argumentsJson) {
        JsonNode arguments = null;
        StringBuilder key = new StringBuilder();
        for (Part part : parts) {
            if (part.text() != null) {
                key.append(part.text());
                continue;
            }
            if (arguments == null) {
                try {
                    arguments = JobArguments.MAPPER.readTree(argumentsJson);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("The stored arguments are not valid JSON", e);
                }
            }
            JsonNode value = arguments.get(part.argument());
            key.append(value == null || value.isNull() ? "null" : value.isTextual() ? value.asText() : value.toString());
        }
        return key.toString();
    }

    /** Whether a placeholder takes its value from a stored argument for which {@code test} holds. */
    public boolean uses(IntPredicate test) {
        return parts.stream().anyMatch(part -> part.text() == null && test.test(part.argument()));
    }

    /** The template with every placeholder replaced by {@code placeholder}: the shape of its keys. */
    public String shape(String placeholder) {
        StringBuilder shape = new StringBuilder();
        parts.forEach(part -> shape.append(part.text() != null ? part.text() : placeholder));
        return shape.toString();
    }

    @Override
    public String toString() {
        return template;
    }
}
