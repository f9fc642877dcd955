package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.enterprise.context.ApplicationScoped;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobContext;
import io.quarkiverse.hangfire.Sensitive;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code @Sensitive} where nothing is encrypted, or where encryption would break the job, and configured entries
 * that name no parameter, are all reported in one failed build.
 */
class InvalidSensitiveParametersTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(SecretJobs.class, NotJobs.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:sensitive-invalid")
            .overrideConfigKey("quarkus.hangfire.sensitive-parameters",
                    "SecretJobs.send.token,SecretJobs.send.nothing,noSuchParameter,Unknown.job.token,bad entry,SecretJobs.send.context")
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("@Sensitive is on a parameter of " + NotJobs.class.getName() + "#helper(), which is not a"
                            + " @BackgroundJob method")
                    .contains("SecretJobs#onContext() has @Sensitive on its JobContext parameter")
                    .contains("SecretJobs#inMutex() uses its sensitive parameter 'customer' in its mutex key")
                    .contains("quarkus.hangfire.sensitive-parameters has the entry 'SecretJobs.send.nothing', which matches"
                            + " no parameter of any @BackgroundJob method")
                    .contains("the entry 'noSuchParameter', which matches no parameter")
                    .contains("the entry 'Unknown.job.token', which matches no parameter")
                    .contains("quarkus.hangfire.sensitive-parameters has the entry 'bad entry'; write <job name>.<parameter>")
                    .contains("names 'SecretJobs.send.context', the JobContext parameter of")
                    .doesNotContain("'SecretJobs.send.token'"));

    @Test
    void buildFails() {
        fail("the build should have failed");
    }

    @ApplicationScoped
    public static class SecretJobs {
        @BackgroundJob
        public void send(String to, String token, JobContext context) {
        }

        @BackgroundJob
        public void onContext(String to, @Sensitive JobContext context) {
        }

        @BackgroundJob(mutex = "customer-{customer}")
        public void inMutex(@Sensitive String customer) {
        }
    }

    @ApplicationScoped
    public static class NotJobs {
        public void helper(@Sensitive String password) {
        }
    }
}
