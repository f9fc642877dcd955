package io.quarkiverse.hangfire.it.flyway;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The Flyway scenario on MariaDB, with the scripts of {@code META-INF/hangfire/schema/mysql}. */
class FlywayMariaDbTest extends FlywayScenario {

    static final String URL = System.getProperty("it.flyway.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/hangfire_flyway");

    static final boolean EMPTIED = emptyDatabase(URL, "root", false);

    @RegisterExtension
    static final QuarkusUnitTest test = application("mariadb", URL, "root", "mysql");
}
