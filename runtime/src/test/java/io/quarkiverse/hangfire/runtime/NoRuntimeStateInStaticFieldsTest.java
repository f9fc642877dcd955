package io.quarkiverse.hangfire.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;

/**
 * A native image runs the static initialisers of the extension's classes while it is built, and keeps what they
 * made. So no static field may hold what belongs to one running process: a random generator (GraalVM refuses
 * it, and its seed would be the same in every process), a thread or an executor, a connection, or the runtime
 * configuration. Such things live in beans, made at run time.
 */
class NoRuntimeStateInStaticFieldsTest {

    private static final List<Class<?>> PROCESS_STATE = List.of(java.util.Random.class, java.util.SplittableRandom.class,
            Thread.class, java.util.concurrent.Executor.class, java.util.Timer.class, java.sql.Connection.class,
            javax.sql.DataSource.class, java.net.Socket.class, java.nio.channels.Channel.class, javax.crypto.SecretKey.class,
            javax.crypto.Mac.class, HangfireConfig.class);

    @Test
    void noStaticFieldHoldsProcessState() throws Exception {
        List<String> found = new ArrayList<>();
        List<String> classes = runtimeClasses();
        assertThat(classes).contains(getClass().getPackageName() + ".storage.Transactions");
        for (String name : classes) {
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                for (Class<?> state : PROCESS_STATE) {
                    if (state.isAssignableFrom(field.getType())) {
                        found.add(name + "." + field.getName() + " (" + field.getType().getName() + ")");
                    }
                }
            }
        }
        assertThat(found).as("static fields holding process state").isEmpty();
    }

    /** The classes of the runtime module, from its compiled output. */
    private List<String> runtimeClasses() throws IOException, URISyntaxException {
        Path root = Path.of(HangfireConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class")).map(f -> root.relativize(f).toString())
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.')).sorted().toList();
        }
    }
}
