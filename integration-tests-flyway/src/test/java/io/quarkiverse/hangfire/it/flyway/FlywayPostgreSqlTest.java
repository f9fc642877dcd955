package io.quarkiverse.hangfire.it.flyway;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The Flyway scenario on PostgreSQL, with the scripts of {@code META-INF/hangfire/schema/postgresql}. */
class FlywayPostgreSqlTest extends FlywayScenario {

    static final String URL = System.getProperty("it.flyway.postgresql.url",
            "jdbc:postgresql://127.0.0.1:5432/hangfire_flyway");

    static final boolean EMPTIED = emptyDatabase(URL, "postgres", true);

    @RegisterExtension
    static final QuarkusUnitTest test = application("postgresql", URL, "postgres", "postgresql");
}
