package io.quarkiverse.hangfire.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The configuration keys the documentation names against those the code defines, both ways. The code's keys come
 * from the models the extension annotation processor writes for every module with a {@code @ConfigMapping}
 * ({@code target/quarkus-config-doc/quarkus-config-model.yaml}), so a key added in any module is seen without
 * changing this test. The documentation is every page of the Antora module, with its includes expanded, and the
 * README.
 */
class ConfigReferenceTest {

    static final Path REPOSITORY = Path.of(System.getProperty("hangfire.repository", "..")).toAbsolutePath().normalize();
    static final Path PAGES = REPOSITORY.resolve("docs/modules/ROOT/pages");

    /** A key as the docs write it: dotted segments, a quoted map key or a trailing {@code *} among them. */
    static final Pattern DOC_KEY = Pattern.compile("quarkus\\.hangfire(?:\\.(?:\"[^\"\\s]*\"|[a-z0-9*-]+))+");
    static final Pattern DOC_ENV = Pattern.compile("QUARKUS_HANGFIRE_[A-Z0-9_]+");
    /** The model's YAML strings escape the quotes around map keys. */
    static final Pattern MODEL_KEY = Pattern.compile("^\\s*property: \"(quarkus\\.hangfire\\.(?:[^\"\\\\]|\\\\.)+)\"",
            Pattern.MULTILINE);
    static final Pattern MODEL_ENV = Pattern.compile("^\\s*environmentVariable: \"(QUARKUS_HANGFIRE_[^\"]+)\"",
            Pattern.MULTILINE);
    static final Pattern INCLUDE = Pattern.compile("^include::([^\\[]+)\\[[^\\]]*\\]\\s*$", Pattern.MULTILINE);

    @Test
    void everyKeyTheDocsNameIsDefinedByTheCode() {
        Set<String> defined = codeKeys();
        Set<String> unknown = new TreeSet<>();
        documentation().forEach((source, text) -> {
            Matcher key = DOC_KEY.matcher(text);
            while (key.find()) {
                // a prefix such as `quarkus.hangfire.server.` heading a table of its keys
                boolean prefix = key.end() < text.length() && text.charAt(key.end()) == '.';
                String normalized = normalize(key.group()) + (prefix ? ".*" : "");
                boolean known = normalized.endsWith(".*")
                        ? defined.stream().anyMatch(k -> k.startsWith(normalized.substring(0, normalized.length() - 1)))
                        : defined.contains(normalized);
                if (!known) {
                    unknown.add(key.group() + " (" + REPOSITORY.relativize(source) + ")");
                }
            }
        });
        assertThat(unknown).as("keys named in the docs that no @ConfigMapping defines").isEmpty();
    }

    @Test
    void everyEnvironmentVariableTheDocsNameIsDefinedByTheCode() {
        Set<String> defined = modelValues(MODEL_ENV);
        Set<String> unknown = new TreeSet<>();
        documentation().forEach((source, text) -> {
            Matcher env = DOC_ENV.matcher(text);
            while (env.find()) {
                if (!defined.contains(env.group())) {
                    unknown.add(env.group() + " (" + REPOSITORY.relativize(source) + ")");
                }
            }
        });
        assertThat(unknown).as("environment variables named in the docs that no @ConfigMapping defines").isEmpty();
    }

    @Test
    void everyKeyTheCodeDefinesIsDocumented() {
        Set<String> documented = new TreeSet<>();
        documentation().forEach((source, text) -> {
            if (source.startsWith(PAGES)) {
                Matcher key = DOC_KEY.matcher(text);
                while (key.find()) {
                    documented.add(normalize(key.group()));
                }
            }
        });
        Set<String> missing = new TreeSet<>(codeKeys());
        missing.removeAll(documented);
        assertThat(missing).as("keys defined in the code that no documentation page names (is the generated"
                + " reference included by configuration.adoc?)").isEmpty();
    }

    /** The code's keys, map keys written {@code "*"}. */
    static Set<String> codeKeys() {
        Set<String> keys = new TreeSet<>();
        for (String key : modelValues(MODEL_KEY)) {
            keys.add(normalize(key));
        }
        return keys;
    }

    static Set<String> modelValues(Pattern pattern) {
        List<Path> models = models();
        assertThat(models).as("config models under " + REPOSITORY + ": build runtime with this module")
                .anyMatch(m -> m.startsWith(REPOSITORY.resolve("runtime")));
        Set<String> values = new TreeSet<>();
        for (Path model : models) {
            Matcher m = pattern.matcher(read(model));
            while (m.find()) {
                values.add(m.group(1).replace("\\\"", "\""));
            }
        }
        return values;
    }

    static List<Path> models() {
        try (Stream<Path> files = Files.find(REPOSITORY, 5,
                (path, attributes) -> path.endsWith("target/quarkus-config-doc/quarkus-config-model.yaml"))) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each page (its includes expanded; an include that does not resolve fails) and the README, by file. */
    static Map<Path, String> documentation() {
        Map<Path, String> texts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(PAGES)) {
            for (Path page : files.filter(p -> p.toString().endsWith(".adoc") && !p.startsWith(PAGES.resolve("includes")))
                    .toList()) {
                texts.put(page, expand(page, 0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        texts.put(REPOSITORY.resolve("README.md"), read(REPOSITORY.resolve("README.md")));
        return texts;
    }

    static String expand(Path file, int depth) {
        assertThat(depth).as("include depth at " + file).isLessThan(8);
        String text = read(file);
        Matcher include = INCLUDE.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (include.find()) {
            Path target = file.getParent().resolve(include.group(1)).normalize();
            assertThat(target).as("include in " + REPOSITORY.relativize(file)).isRegularFile();
            include.appendReplacement(expanded, Matcher.quoteReplacement(expand(target, depth + 1)));
        }
        include.appendTail(expanded);
        return expanded.toString();
    }

    static String normalize(String key) {
        return key.replaceAll("\"[^\"]*\"", "\"*\"");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
