package io.quarkiverse.hangfire.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each probe job started, in microseconds of the wall clock (shared by all processes on this machine).
 * In a server process started with {@code -Dbench.probe-file}, each start is also appended to that file, so
 * that the driver process can read the starts of jobs it did not run.
 */
final class Probes {

    private static final Map<Long, Long> STARTS = new ConcurrentHashMap<>();
    private static Writer file;

    private Probes() {
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    static void started(long seq) {
        long at = nowMicros();
        STARTS.putIfAbsent(seq, at);
        String path = System.getProperty("bench.probe-file");
        if (path != null) {
            synchronized (Probes.class) {
                try {
                    if (file == null) {
                        file = Files.newBufferedWriter(Path.of(path), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                    file.write(seq + " " + at + "\n");
                    file.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The starts seen by this process, and forgets them. */
    static Map<Long, Long> takeLocal() {
        Map<Long, Long> copy = new HashMap<>(STARTS);
        STARTS.clear();
        return copy;
    }

    /** The starts a server process wrote to {@code path}. */
    static Map<Long, Long> read(Path path) throws IOException {
        Map<Long, Long> starts = new HashMap<>();
        if (Files.exists(path)) {
            for (String line : Files.readAllLines(path)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) {
                    starts.putIfAbsent(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                }
            }
        }
        return starts;
    }
}
