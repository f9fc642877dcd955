package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A configured datasource that no persistence unit uses fails the build, saying how to add one. */
class DatasourceWithoutPersistenceUnitTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("quarkus.hangfire.datasource", "jobs")
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:no-unit")
            .overrideConfigKey("quarkus.datasource.\"jobs\".db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.\"jobs\".jdbc.url", "jdbc:h2:mem:no-unit-jobs")
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("quarkus.hangfire.datasource names datasource 'jobs'")
                    .contains("none does")
                    .contains("quarkus.hibernate-orm.\"jobs\".datasource=jobs"));

    @Test
    void buildFails() {
        fail("the build should have failed");
    }
}
