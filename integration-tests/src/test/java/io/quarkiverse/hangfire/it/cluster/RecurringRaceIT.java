package io.quarkiverse.hangfire.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two server processes poll the same every-second recurring jobs: each occurrence must create exactly one job,
 * and none may be skipped.
 */
class RecurringRaceIT {

    static final int RECURRING = 30;
    static final long SECONDS = 8;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoServersCreateEachOccurrenceOnce() throws Exception {
        try (Cluster cluster = Cluster.create("RecurringRaceIT")) {
            ClusterDatabase db = cluster.db;
            List<AppProcess> apps = cluster.start(List.of(cluster.settings(), cluster.settings()));
            apps.get(0).send("POST", "/cluster/recurring?count=" + RECURRING + "&cron="
                    + URLEncoder.encode("* * * * * *", StandardCharsets.UTF_8));
            Thread.sleep(SECONDS * 1000);
            apps.get(1).send("DELETE", "/cluster/recurring?count=" + RECURRING);

            Map<String, List<Instant>> byRecurring = db.recurringOccurrences();
            long created = byRecurring.values().stream().mapToLong(List::size).sum();
            long duplicated = 0;
            long gaps = 0;
            for (List<Instant> occurrences : byRecurring.values()) {
                duplicated += occurrences.size() - new HashSet<>(occurrences).size();
                // every second from the first occurrence to the last, none skipped
                long span = Duration.between(occurrences.get(0), occurrences.get(occurrences.size() - 1)).toSeconds() + 1;
                gaps += span - new HashSet<>(occurrences).size();
            }
            long recurringWithJobs = byRecurring.size();
            System.out.printf("[cluster] RecurringRaceIT: %d recurring jobs x ~%d s on 2 servers: %d jobs created,"
                    + " %d occurrences created twice, %d skipped seconds%n", RECURRING, SECONDS, created,
                    duplicated, gaps);
            assertThat(recurringWithJobs).isEqualTo(RECURRING);
            assertThat(duplicated).isZero();
            assertThat(gaps).isZero();
            assertThat(created).isGreaterThanOrEqualTo(RECURRING * (SECONDS - 3));
        }
    }
}
