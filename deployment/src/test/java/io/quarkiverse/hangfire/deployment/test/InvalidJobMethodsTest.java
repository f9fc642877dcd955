package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkus.test.QuarkusUnitTest;

/** Every invalid declaration is reported in one failed build, each naming its method and what to change. */
class InvalidJobMethodsTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(BadJobs.class, Duplicate.class, Shape.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:invalid")
            .assertException(t -> {
                String message = rootMessage(t);
                assertThat(message)
                        .contains("BadJobs#privateJob() is private")
                        .contains("BadJobs#staticJob() is static")
                        .contains("BadJobs#finalJob() is final")
                        .contains("BadJobs#objectParameter() has the parameter 'value' of type java.lang.Object")
                        .contains("BadJobs#streamParameter() has the parameter 'in' of type java.io.InputStream")
                        .contains("BadJobs#rawList() has the parameter 'items' of type java.util.List")
                        .contains("the raw type java.util.List")
                        .contains("BadJobs#wildcard() has the parameter 'items'")
                        .contains("BadJobs#interfaceParameter() has the parameter 'shape'")
                        .contains("is an interface")
                        .contains("BadJobs#badQueue() has the queue name 'Bad Queue'")
                        .contains("BadJobs#badDelay() has the retry delay '5 seconds'")
                        .contains("has the job name 'same.name', already used by")
                        .contains("BadJobs#badTimeout() has the timeout 'five minutes'")
                        .contains("BadJobs#zeroTimeout() has the timeout 'PT0S'; a timeout must be longer than zero")
                        .contains("BadJobs#unknownMutexParameter() has the mutex 'report-{customer}', whose placeholder"
                                + " {customer} names no stored parameter")
                        .contains("one of [customerId]")
                        .contains("BadJobs#contextInMutex() has the mutex 'x-{1}'")
                        .contains("BadJobs#unmatchedBrace() has the mutex 'x-{0'")
                        .contains("BadJobs#negativeConcurrency() has concurrency = -1")
                        .contains("BadJobs#asyncTransactional() is transactional and returns CompletionStage");
            });

    @Test
    void buildFails() {
        fail("the build should have failed");
    }

    static String rootMessage(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
            for (Throwable s : c.getSuppressed()) {
                all.append(s.getMessage()).append('\n');
            }
        }
        return all.toString();
    }

    public interface Shape {
    }

    @ApplicationScoped
    public static class BadJobs {
        @BackgroundJob
        private void privateJob() {
        }

        @BackgroundJob
        public static void staticJob() {
        }

        @BackgroundJob
        public final void finalJob() {
        }

        @BackgroundJob
        public void objectParameter(Object value) {
        }

        @BackgroundJob
        public void streamParameter(InputStream in) {
        }

        @SuppressWarnings("rawtypes")
        @BackgroundJob
        public void rawList(List items) {
        }

        @BackgroundJob
        public void wildcard(List<? extends Number> items) {
        }

        @BackgroundJob
        public void interfaceParameter(Shape shape) {
        }

        @BackgroundJob(queue = "Bad Queue")
        public void badQueue() {
        }

        @BackgroundJob(retryDelays = "5 seconds")
        public void badDelay() {
        }

        @BackgroundJob(name = "same.name")
        public void first() {
        }

        @BackgroundJob(timeout = "five minutes")
        public void badTimeout() {
        }

        @BackgroundJob(transactional = true)
        public java.util.concurrent.CompletionStage<Void> asyncTransactional() {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @BackgroundJob(timeout = "PT0S")
        public void zeroTimeout() {
        }

        @BackgroundJob(mutex = "report-{customer}")
        public void unknownMutexParameter(long customerId) {
        }

        @BackgroundJob(mutex = "x-{1}")
        public void contextInMutex(long customerId, io.quarkiverse.hangfire.JobContext context) {
        }

        @BackgroundJob(mutex = "x-{0")
        public void unmatchedBrace(long customerId) {
        }

        @BackgroundJob(concurrency = -1)
        public void negativeConcurrency() {
        }
    }

    public static class Duplicate {
        @BackgroundJob(name = "same.name")
        public void second() {
        }
    }
}
