package io.quarkiverse.hangfire.runtime.registry;

import java.util.function.Supplier;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * The configured caps on what a caller stores with a job: its arguments and each parameter value, measured as
 * the UTF-8 bytes of their JSON. Everything stored is read back whole by workers and served by the dashboard, so
 * a cap is checked before anything is written.
 */
@Singleton
public class SizeLimits {

    static final String ARGUMENTS_KEY = "quarkus.hangfire.limits.max-arguments-size";
    static final String PARAMETER_KEY = "quarkus.hangfire.limits.max-parameter-size";

    private final long maxArguments;
    private final long maxParameter;

    @Inject
    public SizeLimits(HangfireConfig config) {
        this.maxArguments = positive(config.limits().maxArgumentsSize(), ARGUMENTS_KEY);
        this.maxParameter = positive(config.limits().maxParameterSize(), PARAMETER_KEY);
    }

    /** Creates the bean at startup, so that a bad setting fails the start rather than the first call. */
    void checkAtStartup(@Observes StartupEvent event) {
    }

    /** The call itself, once its encoded arguments are known to be within the limit. */
    public EncodedCall checked(EncodedCall call) {
        checkArguments(call.method(), call.arguments());
        return call;
    }

    /** Throws an {@link IllegalArgumentException} when the encoded arguments of a call to {@code method} are too large. */
    public void checkArguments(JobMethod method, String json) {
        long size = utf8Length(json);
        if (size > maxArguments) {
            throw new IllegalArgumentException("The arguments of job " + method.name() + " are " + size
                    + " bytes as JSON, more than the limit of " + maxArguments + " bytes (" + ARGUMENTS_KEY
                    + "); pass a reference to large data (an id, a path) instead of the data itself, or raise the limit");
        }
    }

    /**
     * Throws an {@link IllegalStateException} when the JSON of a value a job returned is larger than the arguments may
     * be: results are stored with the job's Succeeded state and read back by continuations.
     */
    public void checkResult(JobMethod method, String json) {
        long size = utf8Length(json);
        if (size > maxArguments) {
            throw new IllegalStateException("The value job " + method.name() + " returned is " + size
                    + " bytes as JSON, more than the limit of " + maxArguments + " bytes (" + ARGUMENTS_KEY
                    + ", which bounds results too); return a reference to large data (an id, a path) instead");
        }
    }

    /**
     * Throws an {@link IllegalArgumentException} when the encoded value of a job parameter is too large;
     * {@code jobName} is asked only then.
     */
    public void checkParameter(String jobId, Supplier<String> jobName, String name, String json) {
        long size = utf8Length(json);
        if (size > maxParameter) {
            throw new IllegalArgumentException("The value of job parameter '" + name + "' of job " + jobId + " ("
                    + jobName.get() + ") is " + size + " bytes as JSON, more than the limit of " + maxParameter
                    + " bytes (" + PARAMETER_KEY + ")");
        }
    }

    /** The UTF-8 length of {@code text}, without encoding it. */
    static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static long positive(MemorySize size, String key) {
        long bytes = size.asBigInteger().min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        if (bytes < 1 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be between 1 and " + Integer.MAX_VALUE + " bytes, got " + size.asBigInteger() + " bytes");
        }
        return bytes;
    }
}
