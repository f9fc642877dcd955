package io.quarkiverse.hangfire.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Calls flow one way: the API implementations use the state machine and the server, the server uses the state
 * machine, and the state machine tells listeners about commits instead of calling the server back. Read from the
 * sources: every mention of another runtime package (imports, qualified names, Javadoc links) counts.
 */
class ServerDependenciesTest {

    static final Path RUNTIME = Path.of("src/main/java/io/quarkiverse/hangfire/runtime");
    /** A runtime package named in a source file: its sub-package, or none for the package of the API implementations. */
    static final Pattern REFERENCE = Pattern.compile("io\\.quarkiverse\\.hangfire\\.runtime\\.(?:([a-z]\\w*)\\.)?[A-Z]");
    static final String ROOT = "(runtime)";

    @Test
    void theStateMachineDoesNotKnowTheServer() {
        assertThat(dependencies().get("state")).as("packages that runtime.state refers to").doesNotContain("server");
    }

    @Test
    void noPackageCycleRunsThroughTheServer() {
        Map<String, Set<String>> graph = dependencies();
        assertThat(cycleThrough("server", graph)).as("a cycle of package references through runtime.server").isEmpty();
    }

    /** The runtime packages each runtime package refers to. */
    static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(RUNTIME)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path dir = RUNTIME.relativize(file).getParent();
                String from = dir == null ? ROOT : dir.getName(0).toString();
                Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    String target = m.group(1) == null ? ROOT : m.group(1);
                    if (!target.equals(from)) {
                        to.add(target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(graph).as("runtime packages read from " + RUNTIME.toAbsolutePath()).containsKeys("server", "state");
        return graph;
    }

    /** The shortest path of references from {@code start} back to itself, or an empty list. */
    static List<String> cycleThrough(String start, Map<String, Set<String>> graph) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> next = new ArrayDeque<>(graph.getOrDefault(start, Set.of()));
        next.forEach(p -> cameFrom.put(p, start));
        while (!next.isEmpty()) {
            String p = next.poll();
            if (p.equals(start)) {
                List<String> path = new ArrayList<>();
                String at = start;
                do {
                    path.add(0, at);
                    at = cameFrom.get(at);
                } while (!at.equals(start));
                path.add(0, start);
                return path;
            }
            for (String q : graph.getOrDefault(p, Set.of())) {
                if (!cameFrom.containsKey(q)) {
                    cameFrom.put(q, p);
                    next.add(q);
                }
            }
        }
        return List.of();
    }
}
