package io.quarkiverse.hangfire.runtime.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job methods of this application, filled at startup by the recorder from what the build found, and
 * the recording stand-ins of the classes that declare them.
 */
public final class JobRegistry {

    private static final Map<String, JobMethod> BY_NAME = new ConcurrentHashMap<>();
    private static final Map<String, Object> CALL_RECORDERS = new ConcurrentHashMap<>();
    private static final List<RecurringDeclaration> RECURRING = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A {@code @Recurring} annotation as the build found it.
     *
     * @param cron the expression, {@code ${config.key}} or {@code off}, resolved when the application starts
     * @param queue the queue, or null for the job method's
     */
    public record RecurringDeclaration(String id, String jobName, String cron, String zone, String queue, String misfire) {
    }

    private JobRegistry() {
    }

    static void clear() {
        BY_NAME.clear();
        CALL_RECORDERS.clear();
        RECURRING.clear();
    }

    static void addRecurring(RecurringDeclaration declaration) {
        RECURRING.add(declaration);
    }

    /** The {@code @Recurring} annotations of this application. */
    public static List<RecurringDeclaration> recurring() {
        return List.copyOf(RECURRING);
    }

    static void add(JobMethod method) {
        BY_NAME.put(method.name(), method);
    }

    static void addCallRecorder(String className, Object recorder) {
        CALL_RECORDERS.put(className, recorder);
    }

    /** The job method with this name, or an exception that lists the known names. */
    public static JobMethod byName(String name) {
        JobMethod method = name == null ? null : BY_NAME.get(name);
        if (method == null) {
            throw new IllegalArgumentException("No @BackgroundJob method is named '" + name + "'; known jobs: " + names());
        }
        return method;
    }

    /** Like {@link #byName(String)}, but null when unknown: for stored jobs written by another app version. */
    public static JobMethod find(String name) {
        return BY_NAME.get(name);
    }

    /** Every job method of this application. */
    public static java.util.Collection<JobMethod> all() {
        return Collections.unmodifiableCollection(BY_NAME.values());
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>(new TreeMap<>(BY_NAME).keySet());
        return Collections.unmodifiableList(names);
    }

    /** The recording stand-in that captures lambda calls on {@code jobClass}. */
    @SuppressWarnings("unchecked")
    public static <T> T callRecorder(Class<T> jobClass) {
        Object recorder = CALL_RECORDERS.get(jobClass.getName());
        if (recorder == null) {
            throw new IllegalArgumentException(jobClass.getName() + " declares no @BackgroundJob method"
                    + " (jobs are declared by annotating bean methods with @BackgroundJob)");
        }
        return (T) recorder;
    }
}
