package io.quarkiverse.hangfire.runtime.registry;

import io.quarkiverse.hangfire.JobCall;

/** A job call, checked against its job method and with its arguments encoded as stored: what creating a job needs. */
public record EncodedCall(JobMethod method, String arguments) {

    /** A call made on the recording stand-in of {@code jobClass}, such as {@code j -> j.send(42)}. */
    public static <T> EncodedCall captured(Class<T> jobClass, JobCall<T> call) {
        if (jobClass == null) {
            throw new IllegalArgumentException("'jobClass' must not be null");
        }
        CapturedCall captured = CapturedCall.capture(jobClass, call);
        JobMethod method = JobRegistry.byName(captured.jobName);
        return new EncodedCall(method, JobArguments.encode(method, captured.arguments));
    }

    /** A call by job name, its arguments checked against the method's parameter types. */
    public static EncodedCall named(String jobName, Object[] arguments) {
        JobMethod method = JobRegistry.byName(jobName);
        return new EncodedCall(method, JobArguments.checkAndEncode(method, arguments));
    }
}
