package io.quarkiverse.hangfire.it.core;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The core extension alone, on H2 in memory. */
class CoreOnlyH2Test extends JobsScenario {

    @RegisterExtension
    static final QuarkusUnitTest test = datasource(application(), null, "h2", "jdbc:h2:mem:core;DB_CLOSE_DELAY=-1", "sa");}
