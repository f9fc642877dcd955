package io.quarkiverse.hangfire.it;

import java.math.BigDecimal;
import java.time.ZonedDateTime;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.Sensitive;

/** A job in a queue no server of the test app serves: it stays enqueued, for JobTesting's assertions. */
public class ParkedJobs {

    @BackgroundJob(queue = "elsewhere")
    public void settle(String key, @Sensitive String account, BigDecimal amount, ZonedDateTime due) {
        throw new IllegalStateException("never run: no server serves the queue 'elsewhere'");
    }
}
