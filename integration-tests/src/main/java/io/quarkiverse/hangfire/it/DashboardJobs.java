package io.quarkiverse.hangfire.it;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobContext;

/** Jobs the dashboard tests look at: one that reports progress and log lines, one that fails with a given message. */
public class DashboardJobs {

    /** Nested secrets: {@code password} is redacted at any depth. */
    public record Credentials(String user, String password) {
    }

    public record Login(String account, Credentials creds) {
    }

    @Inject
    Executions executions;

    /** Logs its steps and progress; its {@code password} argument is redacted on the dashboard. */
    @BackgroundJob
    public void report(String title, String password, JobContext context) {
        context.log("Starting report " + title);
        context.progress(50);
        context.log("Half way through <b>" + title + "</b>");
        context.progress(100);
        context.setParameter("apiKey", "k-123");
        executions.record(title);
    }

    /** Fails with {@code message} on its first {@code failures} runs, without automatic retries; then succeeds. */
    @BackgroundJob(retries = 0)
    public void explode(String key, String message, int failures) {
        int run = executions.record(key);
        if (run <= failures) {
            throw new IllegalStateException(message);
        }
    }

    /** Always fails, and waits an hour before each retry: it stays on the Retries list. */
    @BackgroundJob(retries = 3, retryDelays = "PT1H")
    public void retriedLater(String key) {
        executions.record(key);
        throw new IllegalStateException("retried later: " + key);
    }

    /**
     * Careless code: it writes its secrets (a nested record field, map values under redacted keys, a redacted
     * argument) into its log, a parameter and its exception. The dashboard must show none of them.
     */
    @BackgroundJob(retries = 0)
    public void connect(Login login, Map<String, String> settings, String token, JobContext context) {
        executions.record(login.account());
        context.log("connecting " + login.account() + " with " + login.creds().password());
        context.log("settings " + settings + ", token " + token);
        context.setParameter("session", Map.of("account", login.account(), "apiKey", settings.get("apiKey")));
        context.setParameter("note", "password=" + settings.get("password"));
        throw new IllegalStateException("login of " + login.account() + " failed with password "
                + login.creds().password() + " and key " + settings.get("apiKey"));
    }
}
