package io.quarkiverse.hangfire.runtime.registry;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

import io.quarkiverse.hangfire.JobContext;

/**
 * Turns job arguments into the JSON stored with a job and back, using each parameter's generic type. It uses
 * its own {@link ObjectMapper}, so an application's mapper customisations cannot change what is stored.
 */
public final class JobArguments {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .addModule(new ParameterNamesModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // a ZonedDateTime or OffsetDateTime comes back in its own zone or offset, not moved to UTC
            .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // arguments are read through a tree: keep its decimals exact (digits and scale), not doubles
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
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
            converted[a] = checkType(method, i, a, args[a]);
            a++;
        }
        return encode(method, converted);
    }

    /** Returns the value, widened to the parameter's number type where {@link #isLosslessNumber} allowed it. */
    private static Object checkType(JobMethod method, int parameter, int position, Object value) {
        JavaType type = method.parameterTypes().get(parameter);
        Class<?> raw = type.getRawClass();
        String what = "Argument " + (position + 1) + " (" + method.parameterNames().get(parameter) + ") of job "
                + method.signature();
        if (value == null) {
            if (raw.isPrimitive()) {
                throw new IllegalArgumentException(what + " is a primitive and cannot be null");
            }
            return null;
        }
        Class<?> boxed = box(raw);
        if (boxed.isInstance(value)) {
            return value;
        }
        if (isLosslessNumber(boxed, value)) {
            return widen(boxed, (Number) value);
        }
        throw new IllegalArgumentException(what + " must be a " + type.toCanonical() + ", but a "
                + value.getClass().getName() + " was given");
    }

    /** Lets {@code enqueue("Jobs.run", 42)} pass an int literal where the job takes a long. */
    private static boolean isLosslessNumber(Class<?> target, Object value) {
        boolean integral = value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger;
        if (target == Long.class || target == BigInteger.class) {
            return integral && (target == BigInteger.class || !(value instanceof BigInteger));
        }
        if (target == Double.class || target == BigDecimal.class) {
            return value instanceof Number;
        }
        if (target == Integer.class || target == Short.class || target == Byte.class) {
            if (!integral || value instanceof BigInteger) {
                return false;
            }
            long v = ((Number) value).longValue();
            long min = target == Integer.class ? Integer.MIN_VALUE : target == Short.class ? Short.MIN_VALUE : Byte.MIN_VALUE;
            long max = target == Integer.class ? Integer.MAX_VALUE : target == Short.class ? Short.MAX_VALUE : Byte.MAX_VALUE;
            return v >= min && v <= max;
        }
        return false;
    }

    private static Object widen(Class<?> target, Number value) {
        if (target == Long.class) {
            return value.longValue();
        }
        if (target == Integer.class) {
            return value.intValue();
        }
        if (target == Short.class) {
            return value.shortValue();
        }
        if (target == Byte.class) {
            return value.byteValue();
        }
        if (target == Double.class) {
            return value.doubleValue();
        }
        if (target == BigInteger.class) {
            return value instanceof BigInteger big ? big : BigInteger.valueOf(value.longValue());
        }
        return new BigDecimal(value.toString());
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return Map.<Class<?>, Class<?>> of(int.class, Integer.class, long.class, Long.class, boolean.class, Boolean.class,
                double.class, Double.class, float.class, Float.class, short.class, Short.class, byte.class, Byte.class,
                char.class, Character.class).get(type);
    }

    /** Encodes the stored arguments (the {@code JobContext} excluded) as a JSON array. */
    public static String encode(JobMethod method, Object[] storedArguments) {
        ArrayNode array = MAPPER.createArrayNode();
        int a = 0;
        for (int i = 0; i < method.parameterTypes().size(); i++) {
            if (i == method.contextIndex()) {
                continue;
            }
            Object value = storedArguments[a++];
            try {
                String json = MAPPER.writerFor(method.parameterTypes().get(i)).writeValueAsString(value);
                array.add(MAPPER.readTree(json));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Argument " + a + " (" + method.parameterNames().get(i) + ") of job "
                        + method.signature() + " cannot be stored as JSON: " + e.getOriginalMessage(), e);
            }
        }
        return array.toString();
    }

    /** Decodes stored arguments into the values the job method is called with, {@code context} included. */
    public static Object[] decode(JobMethod method, String json, JobContext context) {
        JsonNode array;
        try {
            array = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored arguments of job " + method.name() + " are not valid JSON", e);
        }
        if (!array.isArray() || array.size() != method.storedArgumentCount()) {
            throw new IllegalStateException("Job " + method.signature() + " was stored with " + array.size()
                    + " argument(s); its parameters changed since it was enqueued");
        }
        Object[] values = new Object[method.parameterTypes().size()];
        int a = 0;
        for (int i = 0; i < values.length; i++) {
            if (i == method.contextIndex()) {
                values[i] = context;
                continue;
            }
            try {
                values[i] = MAPPER.readerFor(method.parameterTypes().get(i)).readValue(array.get(a++));
            } catch (Exception e) {
                throw new IllegalStateException("Argument " + a + " (" + method.parameterNames().get(i) + ") of job "
                        + method.signature() + " cannot be read from its stored JSON: " + e.getMessage(), e);
            }
        }
        return values;
    }

    /** Each stored argument's JSON, for display. */
    public static List<String> split(String json) {
        List<String> parts = new ArrayList<>();
        try {
            MAPPER.readTree(json).forEach(node -> parts.add(node.toString()));
        } catch (JsonProcessingException e) {
            parts.add(json);
        }
        return parts;
    }

    /** Any value as JSON, for job parameters and results. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The value " + value.getClass().getName() + " cannot be stored as JSON: "
                    + e.getOriginalMessage(), e);
        }
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
