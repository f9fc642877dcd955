package io.quarkiverse.hangfire.it.core;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The jobs on a PostgreSQL database of their own, beside the application's default PostgreSQL database. */
class JobsDatabasePostgreSqlTest extends JobsDatabaseScenario {

    static final String APP_URL = System.getProperty("it.app.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/hangfire_app");
    static final String JOBS_URL = System.getProperty("it.jobs.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/hangfire_jobs");

    static final boolean EMPTIED = emptyDatabase(APP_URL, "postgres", true) && emptyDatabase(JOBS_URL, "postgres", true);

    @RegisterExtension
    static final QuarkusUnitTest test = application("postgresql", APP_URL, JOBS_URL, "postgres");

    @Override
    String jobsUrl() {
        return JOBS_URL;
    }

    @Override
    String user() {
        return "postgres";
    }}
