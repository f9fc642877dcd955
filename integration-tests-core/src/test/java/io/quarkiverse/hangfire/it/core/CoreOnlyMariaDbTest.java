package io.quarkiverse.hangfire.it.core;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The core extension alone, on MariaDB. */
class CoreOnlyMariaDbTest extends JobsScenario {

    static final String URL = System.getProperty("it.core.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/hangfire_core");

    static final boolean EMPTIED = emptyDatabase(URL, "root", false);

    @RegisterExtension
    static final QuarkusUnitTest test = datasource(application(), null, "mariadb", URL, "root");}
