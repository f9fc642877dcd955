package io.quarkiverse.hangfire.runtime.registry;

import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.hangfire.JobCall;

/**
 * Captures the job method call that a {@link JobCall} lambda makes on a recording stand-in. The generated
 * stand-ins call {@link #record} from every job method and {@link #rejectNonJobMethod} from every other
 * method they can override. Capture state is per thread, so one stand-in per class serves every caller.
 */
public final class CapturedCall {

    private static final ThreadLocal<List<CapturedCall>> CURRENT = new ThreadLocal<>();

    public final String jobName;
    public final Object[] arguments;

    private CapturedCall(String jobName, Object[] arguments) {
        this.jobName = jobName;
        this.arguments = arguments;
    }

    /** Runs the lambda on the stand-in of {@code jobClass} and returns the one job call it made. */
    public static <T> CapturedCall capture(Class<T> jobClass, JobCall<T> call) {
        if (call == null) {
            throw new IllegalArgumentException("The job call lambda must not be null");
        }
        T recorder = JobRegistry.callRecorder(jobClass);
        List<CapturedCall> calls = new ArrayList<>(1);
        List<CapturedCall> outer = CURRENT.get();
        CURRENT.set(calls);
        try {
            call.call(recorder);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("The job call lambda threw " + e + "; it must only call one @BackgroundJob"
                    + " method of " + jobClass.getSimpleName() + " with the arguments to store", e);
        } finally {
            CURRENT.set(outer);
        }
        if (calls.size() != 1) {
            throw new IllegalArgumentException("The job call lambda must call exactly one @BackgroundJob method of "
                    + jobClass.getSimpleName() + ", but it called " + (calls.isEmpty() ? "none"
                            : calls.size() + ": " + calls.stream().map(c -> c.jobName).toList()));
        }
        return calls.get(0);
    }

    /** Called by a stand-in's job method. */
    public static void record(String jobName, Object[] arguments) {
        List<CapturedCall> calls = CURRENT.get();
        if (calls == null) {
            throw new IllegalStateException("The recording stand-in for " + jobName + " was called outside JobScheduler");
        }
        calls.add(new CapturedCall(jobName, arguments));
    }

    /** Called by a stand-in's non-job method. */
    public static void rejectNonJobMethod(String className, String methodName) {
        throw new IllegalArgumentException("The job call lambda called " + className + "." + methodName
                + "(), which is not a @BackgroundJob method; compute arguments outside the lambda and call one job method");
    }
}
