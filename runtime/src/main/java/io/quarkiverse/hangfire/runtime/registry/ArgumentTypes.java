package io.quarkiverse.hangfire.runtime.registry;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

import com.fasterxml.jackson.databind.JavaType;

/**
 * What a name-based caller ({@code enqueue("Jobs.run", 42)}) may pass for a job's parameter: a value of its type,
 * or a number that the parameter's number type holds without loss, widened to it.
 */
final class ArgumentTypes {

    private ArgumentTypes() {
    }

    /** Returns the value, widened to the parameter's number type where {@link #isLosslessNumber} allowed it. */
    static Object check(JobMethod method, int parameter, int position, Object value) {
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
}
