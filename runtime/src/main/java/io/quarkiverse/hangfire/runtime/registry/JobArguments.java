package io.quarkiverse.hangfire.runtime.registry;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.runtime.crypto.ArgumentDecryptionException;

/**
 * Turns job arguments into the JSON stored with a job and back, using each parameter's generic type. It uses
 * its own {@link ObjectMapper}, so an application's mapper customisations cannot change what is stored.
 * <p>
 * The stored array is written and read as a token stream, never through a {@code JsonNode} tree: a tree keeps
 * decimals as doubles, which turned a {@code BigDecimal} 19.990 into 19.99. What name-based callers may pass for a
 * parameter is {@link ArgumentTypes}'s to decide; whether a caller's value survives JSON, {@link RoundTripCheck}'s.
 */
public final class JobArguments {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .addModule(new ParameterNamesModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // ISO-8601 ("PT1H30M"); decimal seconds, the form stored before, still read back
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            // a ZonedDateTime keeps its zone, an OffsetDateTime its offset, instead of arriving in UTC
            .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // a field added to an argument class must not break jobs stored before it
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JobArguments() {
    }

    /** Checks arguments given by name-based callers against the job's parameters, then encodes them. */
    public static String checkAndEncode(JobMethod method, Object[] arguments) {
        Object[] args = arguments == null ? new Object[] { null } : arguments;
        if (args.length != method.storedArgumentCount()) {
            throw new IllegalArgumentException("Job " + method.signature() + " takes " + method.storedArgumentCount()
                    + " argument(s), but " + args.length + " were given");
        }
        Object[] converted = new Object[args.length];
        int a = 0;
        for (int i = 0; i < method.parameterTypes().size(); i++) {
            if (i == method.contextIndex()) {
                continue;
            }
            converted[a] = ArgumentTypes.check(method, i, a, args[a]);
            a++;
        }
        return encode(method, converted);
    }

    /** Encodes the stored arguments (the {@code JobContext} excluded) as a JSON array. */
    public static String encode(JobMethod method, Object[] storedArguments) {
        StringWriter out = new StringWriter();
        int a = 0;
        String argument = null;
        try (JsonGenerator generator = MAPPER.createGenerator(out)) {
            generator.writeStartArray();
            for (int i = 0; i < method.parameterTypes().size(); i++) {
                if (i == method.contextIndex()) {
                    continue;
                }
                argument = "Argument " + (a + 1) + " (" + method.parameterNames().get(i) + ")";
                ObjectWriter writer = MAPPER.writerFor(method.parameterTypes().get(i));
                if (method.isSensitive(a)) {
                    generator.writeString(SensitiveArguments.seal(method, a, writer.writeValueAsString(storedArguments[a])));
                    a++;
                } else {
                    writer.writeValue(generator, storedArguments[a++]);
                }
            }
            generator.writeEndArray();
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
            throw new IllegalArgumentException((argument == null ? "The arguments" : argument) + " of job "
                    + method.signature() + " cannot be stored as JSON: " + reason, e);
        }
        return out.toString();
    }

    /** Decodes stored arguments into the values the job method is called with, {@code context} included. */
    public static Object[] decode(JobMethod method, String json, JobContext context) {
        Object[] values = new Object[method.parameterTypes().size()];
        int a = 0;
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalStateException("The stored arguments of job " + method.name() + " are not a JSON array");
            }
            for (int i = 0; i < values.length; i++) {
                if (i == method.contextIndex()) {
                    values[i] = context;
                    continue;
                }
                if (parser.nextToken() == JsonToken.END_ARRAY) {
                    throw changedParameters(method, json);
                }
                int position = a++;
                ObjectReader reader = MAPPER.readerFor(method.parameterTypes().get(i));
                try {
                    String sealed = method.isSensitive(position) && parser.currentToken() == JsonToken.VALUE_STRING
                            ? parser.getText()
                            : null;
                    values[i] = sealed != null && SensitiveArguments.isSealed(sealed)
                            ? reader.readValue(SensitiveArguments.open(method, position, sealed))
                            : reader.readValue(parser);
                } catch (IOException | RuntimeException e) {
                    String what = "Argument " + a + " (" + method.parameterNames().get(i) + ") of job " + method.signature()
                            + " cannot be read from its stored JSON";
                    if (e instanceof ArgumentDecryptionException undecryptable) {
                        throw undecryptable;
                    }
                    if (method.isSensitive(position)) {
                        // Jackson's message and the cause may quote the decrypted value
                        throw new IllegalStateException(what + " as a " + method.parameterTypes().get(i).toCanonical()
                                + " (details withheld: the argument is sensitive)");
                    }
                    throw new IllegalStateException(what + ": " + e.getMessage(), e);
                }
            }
            if (parser.nextToken() != JsonToken.END_ARRAY) {
                throw changedParameters(method, json);
            }
        } catch (IOException e) {
            throw new IllegalStateException("The stored arguments of job " + method.name() + " are not valid JSON", e);
        }
        return values;
    }

    private static IllegalStateException changedParameters(JobMethod method, String json) {
        return new IllegalStateException("Job " + method.signature() + " was stored with " + split(json).size()
                + " argument(s); its parameters changed since it was enqueued");
    }

    /** Each stored argument's JSON exactly as stored, for display; encrypted ones as {@link SensitiveArguments#HIDDEN}. */
    public static List<String> split(String json) {
        return split(null, json);
    }

    /**
     * Each stored argument's JSON, for display; encrypted ones, and those at the sensitive positions of the job
     * {@code jobName}, as {@link SensitiveArguments#HIDDEN}.
     */
    public static List<String> split(String jobName, String json) {
        List<String> parts = new ArrayList<>();
        try (JsonParser parser = MAPPER.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return List.of(json);
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                // a string's text is read lazily: finish it, so that the location is past its closing quote
                parser.finishToken();
                int end = (int) parser.currentLocation().getCharOffset();
                parts.add(json.substring(start, end));
            }
        } catch (IOException e) {
            return List.of(json);
        }
        return SensitiveArguments.hide(jobName, parts);
    }

    /** Any value as JSON, for results and the extension's own values. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The value " + value.getClass().getName() + " cannot be stored as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * A caller's value as JSON, refused unless it reads back from that JSON as the same value: a value of a class
     * that Jackson can write but not rebuild (a thread, a connection, a stream) would otherwise be stored as a
     * dump of its getters. {@code what} names the value in the message. Collections, maps, arrays and optionals
     * are checked element by element, since they are read back with no element type.
     */
    public static String toRoundTripJson(Object value, String what) {
        String json;
        try {
            json = MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " of type " + value.getClass().getName()
                    + " cannot be stored as JSON: " + e.getOriginalMessage(), e);
        }
        RoundTripCheck.check(value, json, what);
        return json;
    }

    public static <V> V fromJson(String json, Class<V> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The stored value " + json + " cannot be read as " + type.getName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
