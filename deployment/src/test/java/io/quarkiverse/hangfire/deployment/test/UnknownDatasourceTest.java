package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** quarkus.hangfire.datasource naming a datasource that is not configured fails the build, naming the ones that are. */
class UnknownDatasourceTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("quarkus.hangfire.datasource", "jobs")
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:unknown-datasource")
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("quarkus.hangfire.datasource names datasource 'jobs', but no such JDBC datasource is configured")
                    .contains("[<default>]").contains("quarkus.datasource.\"jobs\".db-kind"));

    @Test
    void buildFails() {
        fail("the build should have failed");
    }
}
