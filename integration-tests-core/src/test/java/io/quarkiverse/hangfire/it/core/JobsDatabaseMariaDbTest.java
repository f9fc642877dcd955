package io.quarkiverse.hangfire.it.core;

import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The jobs on a MariaDB database of their own, beside the application's default MariaDB database. */
class JobsDatabaseMariaDbTest extends JobsDatabaseScenario {

    static final String APP_URL = System.getProperty("it.app.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/hangfire_app");
    static final String JOBS_URL = System.getProperty("it.jobs.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/hangfire_jobs");

    static final boolean EMPTIED = emptyDatabase(APP_URL, "root", false) && emptyDatabase(JOBS_URL, "root", false);

    @RegisterExtension
    static final QuarkusUnitTest test = application("mariadb", APP_URL, JOBS_URL, "root");

    @Override
    String jobsUrl() {
        return JOBS_URL;
    }

    @Override
    String user() {
        return "root";
    }}
