package io.quarkiverse.hangfire.runtime.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Whether a caller's value reads back from its JSON as the same value: a value of a class that Jackson can write but
 * not rebuild (a thread, a connection, a stream) would otherwise be stored as a dump of its getters. Collections,
 * maps, arrays and optionals are checked element by element, since they are read back with no element type.
 */
final class RoundTripCheck {

    /** Reads untyped decimals (in maps and lists) as BigDecimal, which loses no digit. */
    private static final ObjectReader ROUND_TRIP_READER = JobArguments.MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** JSON values compared as data: numbers by value, since 1.0E7 may come back as 1.0E+7. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue())
            : a.equals(b) ? 0 : 1;

    private RoundTripCheck() {
    }

    /** Throws an {@link IllegalArgumentException} naming {@code what} unless {@code json} reads back as {@code value}. */
    static void check(Object value, String json, String what) {
        if (value == null) {
            return;
        }
        String again;
        boolean same;
        try {
            again = JobArguments.MAPPER.writeValueAsString(ROUND_TRIP_READER.forType(readBackType(value)).readValue(json));
            same = ROUND_TRIP_READER.readTree(json).equals(NUMBERS_BY_VALUE, ROUND_TRIP_READER.readTree(again));
        } catch (JsonProcessingException | RuntimeException e) {
            throw notRoundTrip(value, what, e.getMessage(), e);
        }
        if (!same) {
            throw notRoundTrip(value, what, "it reads back as " + abbreviate(again) + " from " + abbreviate(json), null);
        }
        if (value instanceof Map<?, ?> map) {
            map.values().forEach(element -> checkElement(element, what));
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(element -> checkElement(element, what));
        } else if (value instanceof Object[] array) {
            for (Object element : array) {
                checkElement(element, what);
            }
        } else if (value instanceof Optional<?> optional) {
            optional.ifPresent(element -> checkElement(element, what));
        }
    }

    private static void checkElement(Object element, String what) {
        if (element != null) {
            check(element, JobArguments.toJson(element), what);
        }
    }

    /**
     * The type a value is read back as: for collections and maps an ordered one of untyped elements (the value's own
     * class may be private, as List.of's is), so that the JSON is written back in the same order.
     */
    private static JavaType readBackType(Object value) {
        var types = JobArguments.MAPPER.getTypeFactory();
        if (value instanceof Map) {
            return types.constructMapType(LinkedHashMap.class, Object.class, Object.class);
        }
        if (value instanceof Collection) {
            return types.constructCollectionType(value instanceof Set ? LinkedHashSet.class : ArrayList.class, Object.class);
        }
        if (value instanceof Enum<?> constant) {
            return types.constructType(constant.getDeclaringClass());
        }
        if (value instanceof java.time.ZoneId && !(value instanceof java.time.ZoneOffset)) {
            return types.constructType(java.time.ZoneId.class);
        }
        return types.constructType(value.getClass());
    }

    private static IllegalArgumentException notRoundTrip(Object value, String what, String reason, Exception cause) {
        return new IllegalArgumentException(what + " of type " + value.getClass().getName() + " cannot be stored: its"
                + " JSON does not read back as the same value (" + reason + "). Store plain values: strings, numbers,"
                + " java.time values, enums, records, beans with a no-arg or @JsonCreator constructor, and collections"
                + " of these", cause);
    }

    private static String abbreviate(String json) {
        return json.length() <= 200 ? json : json.substring(0, 200) + "…";
    }
}
