package io.quarkiverse.hangfire.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One process of the packaged integration-test application ({@code java -jar quarkus-run.jar}) with its
 * settings as {@code -D} options, on a free HTTP port, its output in a log file. It can be killed (SIGKILL)
 * or stopped (SIGTERM); whatever happens, it does not outlive the test JVM.
 */
final class AppProcess implements AutoCloseable {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // a test JVM that ends abruptly (a timeout, Ctrl-C) still takes its processes with it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    final String name;
    final int port;
    final Path log;
    private final Process process;

    private AppProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts the process of {@code jar} without waiting for it; see {@link #awaitReady}. */
    static AppProcess launch(String name, Path jar, Map<String, String> settings, Path logDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No application jar at " + jar.toAbsolutePath()
                    + ": the cluster tests run after 'package' (./mvnw verify), in JVM mode");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // small heaps and one GC thread: several of these share two cores with the database and the test
        command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-Dquarkus.http.port=" + port);
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            Files.writeString(log, String.join(" ", command) + System.lineSeparator());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            LIVE.add(process);
            return new AppProcess(name, port, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    /** Waits until the process answers HTTP; fails with the end of its log if it exits or takes too long. */
    AppProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it answered HTTP:\n" + logTail());
            }
            try {
                if (get("/cluster/health").statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(200);
        }
        throw new AssertionError(name + " did not answer HTTP on port " + port + " within " + timeout + ":\n" + logTail());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** True when the process answers its health endpoint. */
    boolean answers() {
        try {
            return get("/cluster/health").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The HTTP status of its readiness check ({@code /q/health/ready}: 200 UP, 503 DOWN), or -1 if it does not answer. */
    int readiness() {
        try {
            return get("/q/health/ready").statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** SIGKILL: the process gets no chance to clean up. Returns the time the signal was sent. */
    Instant kill() {
        Instant sent = Instant.now();
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
        return sent;
    }

    /** SIGSTOP: the process stops where it is, threads, timers and open transactions alike, until {@link #thaw()}. */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen process runs on from where it stopped, unaware of the time that passed. */
    void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as a container runtime stops an instance. Returns how long it took to exit. */
    Duration stop(Duration timeout) {
        long sent = System.nanoTime();
        process.destroy();
        waitForExit(timeout);
        return Duration.ofNanos(System.nanoTime() - sent);
    }

    /** Enqueues jobs through the process (one transaction); see ClusterResource. Returns the job ids. */
    List<Long> enqueue(int count, List<Long> millis, Long firstAttemptMillis) {
        return enqueue(count, millis, firstAttemptMillis, 0, false);
    }

    /**
     * Enqueues jobs of which every {@code transactionalEvery}-th is transactional (0: none); {@code stubborn} ones
     * ignore cancellation. See ClusterResource.
     */
    List<Long> enqueue(int count, List<Long> millis, Long firstAttemptMillis, int transactionalEvery, boolean stubborn) {
        String query = "count=" + count + millis.stream().map(m -> "&millis=" + m).collect(Collectors.joining())
                + (firstAttemptMillis == null ? "" : "&firstAttemptMillis=" + firstAttemptMillis)
                + "&transactionalEvery=" + transactionalEvery + "&stubborn=" + stubborn;
        return post("/cluster/jobs?" + query);
    }

    /** Creates a batch of jobs and a continuation of it through the process; returns the batch id and the job's. */
    List<Long> batch(int count, List<Long> millis) {
        return post("/cluster/batch?count=" + count + millis.stream().map(m -> "&millis=" + m).collect(Collectors.joining()));
    }

    private List<Long> post(String path) {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("enqueue on " + name + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readValue(response.body(), new TypeReference<List<String>>() {
            }).stream().map(Long::valueOf).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("enqueue on " + name + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the process wrote so far. */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail() {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
        LIVE.remove(process);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", port " + port + ")";
    }

    private void waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + ":\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (!process.isAlive()) {
                LIVE.remove(process);
            }
        }
    }

    /** Sends a request with no body and fails unless it answers 2xx; returns the body read as a list of strings. */
    List<String> sendForList(String method, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(300))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError(method + " " + pathAndQuery + " on " + name + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return JSON.readValue(response.body(), new TypeReference<List<String>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + pathAndQuery + " on " + name + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a request with no body and fails unless it answers 2xx. */
    void send(String method, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError(method + " " + pathAndQuery + " on " + name + " answered " + response.statusCode()
                        + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + pathAndQuery + " on " + name + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
