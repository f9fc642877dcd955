package io.quarkiverse.hangfire.deployment.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

class InvalidTablePrefixTest {

    @RegisterExtension
    static final QuarkusUnitTest test = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("quarkus.hangfire.table-prefix", "drop table;")
            .overrideConfigKey("quarkus.datasource.db-kind", "h2")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:h2:mem:prefix")
            .assertException(t -> assertThat(InvalidJobMethodsTest.rootMessage(t))
                    .contains("quarkus.hangfire.table-prefix is 'drop table;'"));

    @Test
    void buildFails() {
        fail("the build should have failed");
    }
}
