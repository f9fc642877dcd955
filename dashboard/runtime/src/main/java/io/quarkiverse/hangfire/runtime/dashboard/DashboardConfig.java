package io.quarkiverse.hangfire.runtime.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigDocDefault;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.Secret;
import io.smallrye.config.WithDefault;

/**
 * The dashboard's settings read when the application starts: the {@code quarkus.hangfire.dashboard.*} keys of the
 * quarkus-hangfire-dashboard extension, beside the core's {@code quarkus.hangfire.*} ones.
 */
@ConfigMapping(prefix = "quarkus.hangfire")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface DashboardConfig {

    /** Who may use the dashboard, and what it shows. */
    Dashboard dashboard();

    interface Dashboard {

        /**
         * The roles that may see the dashboard and act on jobs (requeue, delete, enqueue now, trigger, pause and
         * resume).
         */
        @WithDefault("hangfire-admin")
        List<String> roles();

        /** The roles that may see everything on the dashboard but change nothing. */
        @WithDefault("hangfire-viewer")
        List<String> readOnlyRoles();

        /**
         * Whether requests from the local machine may use the dashboard without logging in. A request that came
         * through a proxy (with a {@code Forwarded} or {@code X-Forwarded-For} header) never counts as local.
         * Setting it to true in production mode is refused at startup: behind a reverse proxy every request comes
         * from the local machine.
         */
        @ConfigDocDefault("true in dev and test mode, false otherwise")
        Optional<Boolean> openOnLocalhost();

        /**
         * Names whose values the dashboard hides, compared without regard to case: job method arguments, job
         * parameters, and object fields and map keys at any depth of the stored JSON; their values are also hidden
         * wherever they occur in log lines, reasons, exceptions and state data. See
         * xref:dashboard.adoc#redaction[Hidden secrets].
         *
         * @asciidoclet
         */
        @WithDefault("password,secret,token,apiKey,credentials")
        List<String> redact();

        /**
         * The key that signs the dashboard's CSRF tokens (HMAC-SHA256): any text of at least 32 bytes, kept secret
         * (for example the output of {@code openssl rand -base64 48}, passed as
         * {@code QUARKUS_HANGFIRE_DASHBOARD_CSRF_KEY}); a shorter one fails startup. Set the same value on every
         * instance behind a load balancer without sticky sessions, so that a token issued by one instance is
         * accepted by the others. Unset: a random key made when the dashboard is first used, so tokens do not
         * survive a restart and are not accepted by another instance (the web UI then fetches a new token by
         * itself).
         */
        @ConfigDocDefault("a random key per process")
        Optional<Secret<String>> csrfKey();

        /** The text search of job lists, which read-only users may run too, and which is bounded in cost. */
        Search search();
    }

    interface Search {
        /** The shortest text the dashboard's job search accepts; a shorter one is answered with 400. */
        @WithDefault("3")
        int minLength();

        /**
         * How many dashboard searches may run at once across all users; one more is refused at once with 429 and
         * {@code Retry-After}, never queued. Each user may run one search at a time.
         */
        @WithDefault("2")
        int concurrency();

        /** How long a dashboard search may take; a slower one is stopped and answered with 503. */
        @WithDefault("5s")
        Duration timeout();

        /**
         * How many jobs a dashboard search looks through: the newest of the list's state (of all jobs without a state),
         * read along the index that orders them; the job name and queue filters narrow these. The answer says when older
         * jobs were left out.
         */
        @WithDefault("1000")
        int window();
    }
}
