package io.quarkiverse.hangfire.demo;

import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.BackgroundJob;
import io.quarkiverse.hangfire.JobContext;

/**
 * The demo's background jobs. The class has no scope annotation: declaring {@code @BackgroundJob} methods
 * makes it a singleton bean.
 */
public class ReportJobs {

    private static final Logger LOG = Logger.getLogger(ReportJobs.class);

    /** Pretends to build a monthly report in four steps, reporting each on the dashboard. */
    @BackgroundJob
    public void generate(long customerId, YearMonth month, JobContext context) throws InterruptedException {
        List<String> steps = List.of("orders", "invoices", "payments", "summary");
        for (int i = 0; i < steps.size(); i++) {
            context.throwIfCancellationRequested();
            context.log("Collecting " + steps.get(i) + " of customer " + customerId + " for " + month);
            Thread.sleep(ThreadLocalRandom.current().nextLong(50, 300));
            context.progress((i + 1) * 100 / steps.size());
        }
        LOG.infof("Report for customer %d, %s, is ready", customerId, month);
    }

    /** Tells the customer the report is there. Runs in the high-priority queue. */
    @BackgroundJob(queue = "critical")
    public void notifyReportReady(long customerId, YearMonth month) {
        LOG.infof("Told customer %d that the %s report is ready", customerId, month);
    }

    /** Shows what a job can learn about itself, and leaves a parameter on the job for others to read. */
    @BackgroundJob
    public void audit(String note, JobContext context) {
        LOG.infof("Audit '%s': job %s (%s) in queue %s, attempt %d", note, context.jobId(), context.jobName(),
                context.queue(), context.attempt());
        context.setParameter("auditedBy", Thread.currentThread().getName());
    }

    /** Fails about half of the time, so that retries show up: three retries, two seconds apart. */
    @BackgroundJob(retries = 3, retryDelays = { "PT2S" })
    public void syncWithCrm(long customerId, JobContext context) {
        if (ThreadLocalRandom.current().nextBoolean()) {
            throw new IllegalStateException("CRM did not answer for customer " + customerId + " (attempt "
                    + context.attempt() + ")");
        }
        LOG.infof("Synced customer %d with the CRM on attempt %d", customerId, context.attempt());
    }
}
