package io.quarkiverse.hangfire.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

/** What the test jobs did, for the tests to observe. */
@Singleton
public class Executions {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, List<Object>> values = new ConcurrentHashMap<>();
    private final Map<String, List<long[]>> intervals = new ConcurrentHashMap<>();

    public int record(String key, Object... recorded) {
        values.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).addAll(List.of(recorded));
        return counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    public int count(String key) {
        AtomicInteger count = counts.get(key);
        return count == null ? 0 : count.get();
    }

    /** Records that a run of {@code key} started; returns the token {@link #ended} takes. */
    public long started(String key) {
        long now = System.nanoTime();
        intervals.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(new long[] { now, Long.MAX_VALUE });
        return now;
    }

    public void ended(String key, long started) {
        for (long[] interval : intervals.getOrDefault(key, List.of())) {
            if (interval[0] == started) {
                interval[1] = System.nanoTime();
            }
        }
    }

    /** The most runs of {@code key} that were in progress at the same moment. */
    public int maxOverlap(String key) {
        List<long[]> events = new java.util.ArrayList<>();
        for (long[] interval : intervals.getOrDefault(key, List.of())) {
            events.add(new long[] { interval[0], 1 });
            events.add(new long[] { interval[1], -1 });
        }
        // an end sorts before a start at the same instant
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int current = 0;
        int max = 0;
        for (long[] event : events) {
            current += (int) event[1];
            max = Math.max(max, current);
        }
        return max;
    }

    public List<Object> values(String key) {
        return values.getOrDefault(key, List.of());
    }
}
