package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkus.test.QuarkusUnitTest;

class FinalClassTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(FinalJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:final")
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("FinalJobs#run() is declared in the final class"));

    @Test
    void buildFails() {
        fail("the build should have failed");
    }

    public static final class FinalJobs {
        @BackgroundJob
        public void run() {
        }
    }
}
