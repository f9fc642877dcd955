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

    public int record(String key, Object... recorded) {
        values.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).addAll(List.of(recorded));
        return counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    public int count(String key) {
        AtomicInteger count = counts.get(key);
        return count == null ? 0 : count.get();
    }

    public List<Object> values(String key) {
        return values.getOrDefault(key, List.of());
    }
}
