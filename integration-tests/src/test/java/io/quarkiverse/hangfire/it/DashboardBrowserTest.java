package io.quarkiverse.hangfire.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.quarkiverse.hangfire.it.JobAssertions.awaitState;
import static io.quarkiverse.hangfire.it.JobAssertions.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.HttpCredentials;
import com.microsoft.playwright.options.HttpCredentialsSend;
import com.microsoft.playwright.options.SameSiteAttribute;
import com.microsoft.playwright.options.WaitForSelectorState;

import io.quarkiverse.hangfire.JobScheduler;
import io.quarkiverse.hangfire.JobState;
import io.quarkiverse.hangfire.RecurringJobInfo;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dashboard in a real headless Chromium: each step acts through the UI and checks the outcome both on the
 * page and through {@link JobScheduler}. Any console error, page error, failed request or error response of the
 * dashboard fails the step (CSP violations show as console errors). Runs in the MariaDB run of the suite only;
 * it needs Chromium at {@code /usr/bin/chromium} (or {@code -Dit.chromium=...}) and never downloads a browser.
 * Screenshots of every page land in {@code target/dashboard-screenshots}.
 */
@QuarkusTest
class DashboardBrowserTest {

    private static final double PATIENCE_MS = 20_000;
    private static final Path SCREENSHOTS = Paths.get("target", "dashboard-screenshots");
    private static final List<String> STATES = List.of("enqueued", "scheduled", "awaiting", "processing", "succeeded",
            "failed", "deleted");

    private static Playwright playwright;
    private static Browser browser;
    private static final List<String> createdJobs = new CopyOnWriteArrayList<>();

    @Inject
    JobScheduler jobs;

    @Inject
    Executions executions;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @TestHTTPResource("/hangfire/")
    URL dashboard;

    private final List<BrowserContext> contexts = new ArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startBrowser() {
        Assumptions.assumeTrue("mariadb".equals(System.getProperty("it.database")),
                "the browser tests run once, in the MariaDB run");
        Path chromium = Paths.get(System.getProperty("it.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            Assertions.fail("The dashboard browser tests need Chromium at " + chromium
                    + " (Debian: apt-get install chromium), or its path in -Dit.chromium=...");
        }
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")));
        PlaywrightAssertions.setDefaultAssertionTimeout(PATIENCE_MS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @AfterEach
    void noProblemsInTheBrowser() {
        try {
            assertThat(problems).as("console errors, page errors, failed requests and error responses").isEmpty();
        } finally {
            contexts.forEach(BrowserContext::close);
            contexts.clear();
            // jobs left waiting by a step must not run into other tests
            for (String id : createdJobs) {
                jobs.monitor().job(id).filter(job -> !job.state().isFinal() && job.state() != JobState.FAILED)
                        .ifPresent(job -> jobs.delete(id));
            }
            createdJobs.clear();
        }
    }

    // a) the Succeeded tile counts up while jobs run
    @Test
    void overviewTilesFollowTheJobs() {
        Page page = open("admin", 1366, 768, "#/");
        Locator succeeded = page.locator("[data-tile=SUCCEEDED] .tile-value");
        assertThat(succeeded).hasText(Pattern.compile("\\d"));
        long before = number(succeeded.textContent());

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String key = key("dashboard-tile");
            ids.add(jobs.enqueue(TestJobs.class, j -> j.record(key)));
        }
        ids.forEach(id -> awaitState(jobs, id, JobState.SUCCEEDED));

        page.waitForFunction("min => Number(document.querySelector('[data-tile=SUCCEEDED] .tile-value')"
                + ".textContent.replace(/\\D/g, '')) >= min", (double) (before + 3), new Page.WaitForFunctionOptions().setTimeout(PATIENCE_MS));
        assertThat(page.locator("canvas")).hasCount(3);
    }

    // b) and c) a failed job's exception shows as text; Requeue from its page makes it succeed
    @Test
    void failedJobShowsItsExceptionAsTextAndSucceedsWhenRequeued() {
        String key = key("dashboard-xss");
        String markup = "<script>alert(1)</script>";
        String id = created(jobs.enqueue(DashboardJobs.class, j -> j.explode(key, markup, 1)));
        awaitState(jobs, id, JobState.FAILED);

        Page page = open("admin", 1366, 768, "#/jobs/" + id);
        Locator message = page.locator(".exception .exception-message");
        assertThat(message).hasText(markup);
        assertThat(message.textContent()).contains("<script>");
        assertThat(page.locator(".exception script")).hasCount(0);
        assertThat(page.locator(".exception .stack-trace")).containsText("DashboardJobs.explode");
        assertThat(page.locator(".job-title .badge")).hasText("Failed");
        assertThat(page.locator(".history-entry").first()).containsText("Failed");

        page.locator(".job-header button[data-action=requeue]").click();
        assertThat(page.locator(".job-title .badge")).hasText("Succeeded");
        awaitState(jobs, id, JobState.SUCCEEDED);
        assertThat(executions.count(key)).isEqualTo(2);
        assertThat(page.locator(".job-header button[data-action=requeue]")).isVisible();
    }

    // flow control: a job's priority, unique key and deadline show on its page; a queue is paused and resumed from the
    // queues page, which shows who paused it, and the rate limits in use (a key of secret arguments hidden)
    @Test
    void flowControlShowsOnJobAndQueuePages() {
        String key = key("dashboard-flow");
        String customer = "<b>" + key + "</b>";
        jobs.pauseQueue("flow", null);
        try {
            String id = created(jobs.enqueue(FlowJobs.class, j -> j.sync(customer, key), io.quarkiverse.hangfire.JobOptions
                    .none().queue("flow").priority(3).deadline(java.time.Instant.now().plus(Duration.ofHours(2)))).jobId());
            Page page = open("admin", 1366, 768, "#/jobs/" + id);
            assertThat(page.locator(".job-header .facts")).containsText("Priority");
            assertThat(page.locator(".job-header .unique-key")).hasText("sync-" + customer);
            assertThat(page.locator(".job-header b")).hasCount(0);
            assertThat(page.locator(".job-header .facts")).containsText("Deadline");

            page.navigate(dashboard + "#/queues");
            Locator flow = page.locator("table.queues tr[data-queue='flow']");
            assertThat(flow.locator(".paused-by")).hasText(java.util.regex.Pattern.compile("^application "));
            flow.locator("button[data-action=resume-queue]").click();
            assertThat(flow.locator("button[data-action=pause-queue]")).isVisible();
            org.assertj.core.api.Assertions.assertThat(jobs.monitor().pausedQueues()).noneMatch(p -> p.queue().equals("flow"));
            flow.locator("button[data-action=pause-queue]").click();
            assertThat(flow.locator(".paused-by")).hasText("dashboard user admin");
            org.assertj.core.api.Assertions.assertThat(jobs.monitor().pausedQueues()).anyMatch(p -> p.queue().equals("flow")
                    && p.pausedBy().equals("dashboard user admin"));
            assertThat(page.locator("table.rate-limits")).isVisible();
            // a limit's key built from a secret argument shows with its values hidden
            String apiKey = key("sk-browser");
            awaitState(jobs, jobs.enqueue(FlowJobs.class, j -> j.apiCall("acme", apiKey, key)), JobState.SUCCEEDED);
            page.reload();
            assertThat(page.locator("table.rate-limits")).containsText("rate:job:FlowJobs.apiCall:***-***");
            assertThat(page.locator("table.rate-limits")).not().containsText(apiKey);
            screenshot(page, "queues-paused");
        } finally {
            jobs.resumeQueue("flow");
        }
    }

    // a stored text longer than the dashboard shows is cut and marked; a search finds the job by what is shown
    @Test
    void longTextsAreShownCutAndMarked() throws java.sql.SQLException {
        String key = key("dashboard-long");
        String id = created(jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1)));
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement update = c.prepareStatement("update hangfire_job set arguments = ? where id = ?")) {
            update.setString(1, "[\"" + key + " " + "x".repeat(200_000) + "\"]");
            update.setLong(2, Long.parseLong(id));
            update.executeUpdate();
        }

        Page page = open("viewer", 1366, 768, "#/jobs/" + id);
        Locator argument = page.locator("table.kv").first();
        assertThat(argument).containsText(key);
        assertThat(argument.locator(".cut-mark")).hasText(Pattern.compile("… \\(cut.*\\)"));
        assertThat(argument.locator("code.value").textContent().length()).isLessThanOrEqualTo(4096);

        page.navigate(dashboard + "#/jobs/scheduled");
        page.locator("input.filter-text").fill(key);
        assertThat(page.locator("table.jobs tbody tr")).hasCount(1);
        assertThat(page.locator("tr[data-job-id='" + id + "'] td.args")).containsText(key);
    }

    // a list narrowed by queue looks through the newest 10,000 jobs of its state only, and says so
    @Test
    void aNarrowedListSaysItLookedThroughTheNewestJobsOnly() throws java.sql.SQLException {
        int fillers = 10_100;
        try (java.sql.Connection c = dataSource.getConnection()) {
            for (int done = 0; done < fillers; done += 1000) {
                StringBuilder sql = new StringBuilder("insert into hangfire_job (job_name, queue, arguments, state,"
                        + " state_changed_at, attempt, retry_count, created_at) values ");
                for (int i = 0; i < Math.min(1000, fillers - done); i++) {
                    sql.append(i == 0 ? "" : ", ").append("('browser.filler', 'default', '[]', 'DELETED',"
                            + " '2026-01-01 00:00:00', 1, 0, '2026-01-01 00:00:00')");
                }
                try (java.sql.Statement st = c.createStatement()) {
                    st.executeUpdate(sql.toString());
                }
            }
        }
        try {
            Page page = open("viewer", 1366, 768, "#/jobs/deleted");
            assertThat(page.locator("table.jobs tbody tr").first()).isVisible();
            assertThat(page.locator(".search-note")).isHidden();
            page.locator("select.filter-queue").selectOption("default");
            assertThat(page.locator(".search-note")).hasText(
                    "Filtered the newest 10,000 jobs of this list only; older ones are not shown.");
            assertThat(page.locator(".pager .range")).containsText("+");
        } finally {
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
                st.executeUpdate("delete from hangfire_job where job_name = 'browser.filler'");
            }
        }
    }

    // d) a scheduled job deleted through the list's selection and bulk Delete
    @Test
    void scheduledJobDeletedFromTheList() {
        String key = key("dashboard-scheduled");
        String id = created(jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1)));

        Page page = open("admin", 1366, 768, "#/jobs/scheduled");
        page.locator(".filter-text").fill(key);
        Locator row = page.locator("tr[data-job-id='" + id + "']");
        assertThat(row).isVisible();
        assertThat(page.locator("table.jobs tbody tr")).hasCount(1);
        Locator delete = page.locator(".bulk button[data-action=delete]");
        assertThat(delete).isDisabled();

        row.locator("input.select-row").check();
        assertThat(page.locator(".selection-count")).hasText("1 selected");
        delete.click();

        assertThat(page.locator(".toast").last()).hasText("1 changed, 0 skipped");
        awaitState(jobs, id, JobState.DELETED);
        assertThat(row).hasCount(0);
        assertThat(page.locator("table.jobs tbody tr.empty")).isVisible();
    }

    // a token the server refuses (expired, or signed with the key of an instance since restarted) is replaced
    @Test
    void anActionWhoseTokenIsRefusedGetsANewTokenAndSucceeds() {
        String key = key("dashboard-token");
        String id = created(jobs.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1)));
        Page page = open("admin", 1366, 768, "#/jobs/" + id);
        assertThat(page.locator(".job-title .badge")).hasText("Scheduled");
        page.context().addCookies(List.of(new Cookie("hangfire-csrf", "1.not-a-token-this-server-issued")
                .setDomain(dashboard.getHost()).setPath("/hangfire").setSameSite(SameSiteAttribute.STRICT)));

        page.locator(".job-header button[data-action=delete]").click();
        assertThat(page.locator(".job-title .badge")).hasText("Deleted");
        awaitState(jobs, id, JobState.DELETED);
        // the refusal that made the page fetch a new token (the response, and Chromium's console line about it), and
        // nothing else
        assertThat(problems).isNotEmpty().allSatisfy(problem -> assertThat(problem).contains("403")
                .contains("/hangfire/api/jobs/" + id + "/delete"));
        problems.clear();
    }

    // the Batches page lists a batch with its progress; its page shows its jobs by state and deletes it; a job links to it
    @Test
    void batchPageShowsProgressAndDeletesTheBatch() {
        String key = key("dashboard-batch");
        java.util.concurrent.atomic.AtomicReference<String> held = new java.util.concurrent.atomic.AtomicReference<>();
        String batch = jobs.batch("<img src=x onerror=alert(1)> " + key, b -> {
            b.enqueue(TestJobs.class, j -> j.record(key));
            held.set(created(b.schedule(TestJobs.class, j -> j.record(key), Duration.ofHours(1))));
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs.monitor().batch(batch).orElseThrow().succeeded() == 1);

        Page page = open("admin", 1366, 768, "#/batches");
        Locator row = page.locator("tr[data-batch-id='" + batch + "']");
        assertThat(row.locator(".batch-description")).hasText("<img src=x onerror=alert(1)> " + key);
        assertThat(row.locator(".progress-value")).hasText("1 / 2");
        row.locator("a.batch-link").click();
        assertThat(page.locator(".batch-header .batch-state")).hasText("Started");
        assertThat(page.locator("ul.batch-jobs[data-state=SCHEDULED] li")).hasCount(1);
        assertThat(page.locator("ul.batch-jobs[data-state=SUCCEEDED] li")).hasCount(1);
        screenshot(page, "batch");
        page.locator(".batch-header button[data-action=delete]").click();
        assertThat(page.locator(".batch-header .batch-state")).hasText("Deleted");
        awaitState(jobs, held.get(), JobState.DELETED);

        page.navigate(dashboard + "#/jobs/" + held.get());
        page.locator("a.batch-link").click();
        assertThat(page.locator(".batch-header .batch-description")).hasText("<img src=x onerror=alert(1)> " + key);
    }

    // e) Trigger now on the Recurring page creates a job
    @Test
    void recurringJobTriggeredFromItsPage() {
        String recurringId = key("dashboard-recurring");
        String key = key("dashboard-recurring-run");
        jobs.recurring().addOrUpdate(recurringId, TestJobs.class, j -> j.record(key), "0 0 5 1 1 *");
        try {
            Page page = open("admin", 1366, 768, "#/recurring");
            Locator row = page.locator("tr[data-recurring-id='" + recurringId + "']");
            assertThat(row).containsText("0 0 5 1 1 *");
            row.locator("input.select-row").check();
            page.locator(".bulk button[data-action=trigger]").click();
            assertThat(page.locator(".toast").last()).hasText("1 triggered, 0 skipped");

            await().atMost(JobAssertions.PATIENCE)
                    .until(() -> jobs.recurring().get(recurringId).map(RecurringJobInfo::lastJobId).orElse(null) != null);
            String jobId = jobs.recurring().get(recurringId).orElseThrow().lastJobId();
            awaitState(jobs, jobId, JobState.SUCCEEDED);
            assertThat(executions.count(key)).isEqualTo(1);
            assertThat(row.locator(".last-job a")).hasText("#" + jobId);
        } finally {
            jobs.recurring().removeIfExists(recurringId);
        }
    }

    // f) a viewer sees the data and no button that acts
    @Test
    void viewerSeesNoActions() {
        String key = key("dashboard-viewer");
        String id = created(jobs.enqueue(DashboardJobs.class, j -> j.explode(key, "seen by the viewer", 1)));
        awaitState(jobs, id, JobState.FAILED);

        Page page = open("viewer", 1366, 768, "#/");
        assertThat(page.locator("#readonly-badge")).isVisible();
        assertThat(page.locator("#user-name")).hasText("viewer");
        assertThat(page.locator("[data-tile=FAILED] .tile-value")).hasText(Pattern.compile("\\d"));

        page.navigate(dashboard + "#/jobs/failed");
        assertThat(page.locator("tr[data-job-id='" + id + "']")).isVisible();
        assertNoActions(page);

        page.navigate(dashboard + "#/jobs/" + id);
        assertThat(page.locator(".exception-message")).hasText("seen by the viewer");
        assertNoActions(page);

        page.navigate(dashboard + "#/recurring");
        assertThat(page.locator("tr[data-recurring-id='it-nightly']")).isVisible();
        assertNoActions(page);
    }

    // g) a phone renders the overview and a list without the page scrolling sideways
    @Test
    void phoneLayoutHasNoHorizontalOverflow() {
        String key = key("dashboard-phone");
        String id = created(jobs.enqueue(DashboardJobs.class, j -> j.explode(key, "a long message on a small screen ".repeat(4), 1)));
        awaitState(jobs, id, JobState.FAILED);

        Page page = open("admin", 390, 844, "#/");
        assertThat(page.locator("[data-tile=SUCCEEDED] .tile-value")).hasText(Pattern.compile("\\d"));
        assertThat(page.locator("#main-nav")).isHidden();
        assertNoHorizontalOverflow(page);
        screenshot(page, "phone-overview");

        page.locator("#menu-toggle").click();
        assertThat(page.locator("#main-nav")).isVisible();
        page.locator("#main-nav a[data-nav=jobs]").click();
        page.navigate(dashboard + "#/jobs/failed");
        assertThat(page.locator("tr[data-job-id='" + id + "']")).isVisible();
        assertNoHorizontalOverflow(page);
        screenshot(page, "phone-failed");

        page.navigate(dashboard + "#/jobs/" + id);
        assertThat(page.locator(".exception-message")).containsText("a long message");
        assertNoHorizontalOverflow(page);
        screenshot(page, "phone-job");
    }

    // h) every page, with jobs in every state, saved as a screenshot; Requeue now on the Retries page
    @Test
    void everyPageRendersAndIsSaved() {
        String tag = java.util.UUID.randomUUID().toString().substring(0, 8);
        String reported = created(jobs.enqueue(DashboardJobs.class, j -> j.report("Invoices 2026-11 " + tag, "s3cret", null)));
        String failed = created(jobs.enqueue(DashboardJobs.class, j -> j.explode("payment-" + tag,
                "Payment provider answered 503 <Service Unavailable>", 1)));
        String retried = created(jobs.enqueue(DashboardJobs.class, j -> j.retriedLater("sync-" + tag)));
        String scheduled = created(jobs.schedule(TestJobs.class, j -> j.record("reminder-" + tag), Duration.ofHours(2)));
        created(jobs.continueWith(scheduled, TestJobs.class, j -> j.record("after-reminder-" + tag)));
        created(jobs.enqueue(TestJobs.class, j -> j.unserved("no-server-" + tag)));
        String running = created(jobs.enqueue(TestJobs.class, j -> j.slow("export-" + tag, 30_000, null)));
        String deleted = created(jobs.schedule(TestJobs.class, j -> j.record("cancelled-" + tag), Duration.ofHours(1)));
        jobs.delete(deleted);
        awaitState(jobs, reported, JobState.SUCCEEDED);
        awaitState(jobs, failed, JobState.FAILED);
        awaitState(jobs, running, JobState.PROCESSING);
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count("sync-" + tag) == 1
                && jobs.monitor().job(retried).map(job -> job.state() == JobState.SCHEDULED).orElse(false));

        Page page = open("admin", 1366, 768, "#/");
        assertThat(page.locator("[data-tile=PROCESSING] .tile-value")).hasText(Pattern.compile("[1-9]"));
        // some traffic over three polls, so that the realtime chart has something to show
        for (int round = 0; round < 3; round++) {
            int size = 10 + 10 * round;
            jobs.enqueueAll(TestJobs.class, java.util.stream.IntStream.range(0, size).boxed().toList(),
                    (j, i) -> j.record("traffic-" + tag + "-" + i));
            page.waitForTimeout(2100);
        }
        screenshot(page, "overview");

        for (String state : STATES) {
            page.navigate(dashboard + "#/jobs/" + state);
            assertThat(page.locator(".state-link.active")).containsText(label(state));
            assertThat(page.locator(".range")).hasText(Pattern.compile("of \\d"));
            assertThat(page.locator("table.jobs tbody tr").first()).isVisible();
            screenshot(page, "jobs-" + state);
        }

        page.navigate(dashboard + "#/jobs/" + reported);
        assertThat(page.locator(".log")).containsText("Half way through <b>");
        assertThat(page.locator("progress")).hasAttribute("value", "100");
        assertThat(page.locator("table.kv").first()).containsText("***");
        screenshot(page, "job-details");

        page.navigate(dashboard + "#/jobs/" + failed);
        assertThat(page.locator(".exception-message")).hasText("Payment provider answered 503 <Service Unavailable>");
        screenshot(page, "job-failed");

        page.navigate(dashboard + "#/retries");
        Locator retry = page.locator("tr[data-job-id='" + retried + "']");
        assertThat(retry).containsText("Retry attempt 1 of 3");
        screenshot(page, "retries");
        retry.locator("input.select-row").check();
        page.locator(".bulk button[data-action=enqueue-now]").click();
        assertThat(page.locator(".toast").last()).hasText("1 changed, 0 skipped");
        await().atMost(JobAssertions.PATIENCE).until(() -> executions.count("sync-" + tag) == 2);

        page.navigate(dashboard + "#/recurring");
        assertThat(page.locator("tr[data-recurring-id='it-nightly']")).containsText("Europe/Berlin");
        screenshot(page, "recurring");

        page.navigate(dashboard + "#/servers");
        assertThat(page.locator("table.servers tbody tr").first()).containsText("critical");
        screenshot(page, "servers");

        page.navigate(dashboard + "#/queues");
        assertThat(page.locator("table.queues tbody")).containsText("elsewhere");
        screenshot(page, "queues");
    }

    // ---- helpers ----

    private String created(String id) {
        createdJobs.add(id);
        return id;
    }

    /** A new page as {@code user} (password = user name) on a viewport of the given size, opened at {@code hash}. */
    private Page open(String user, int width, int height, String hash) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setViewportSize(width, height)
                .setHttpCredentials(new HttpCredentials(user, user).setSend(HttpCredentialsSend.ALWAYS)));
        contexts.add(context);
        context.setDefaultTimeout(PATIENCE_MS);
        Page page = context.newPage();
        String base = dashboard.toString();
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                problems.add("console error: " + message.text() + " at " + message.location());
            }
        });
        page.onPageError(error -> problems.add("page error: " + error));
        page.onDialog(dialog -> {
            problems.add("dialog: " + dialog.message());
            dialog.dismiss();
        });
        page.onRequestFailed(request -> {
            if (request.url().startsWith(base)) {
                problems.add("request failed: " + request.method() + " " + request.url() + ": " + request.failure());
            }
        });
        page.onResponse(response -> {
            if (response.url().startsWith(base) && response.status() >= 400) {
                problems.add("response " + response.status() + ": " + response.request().method() + " " + response.url());
            }
        });
        page.navigate(base + hash);
        assertThat(page.locator("#user-name")).hasText(user);
        return page;
    }

    private static void assertNoActions(Page page) {
        // wait for the page's data before judging what is missing
        page.locator("main h1").first().waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
        assertThat(page.locator("button.action, input.select-row, input.select-all, .actions")).hasCount(0);
    }

    private static void assertNoHorizontalOverflow(Page page) {
        Object widths = page.evaluate("() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]");
        List<?> values = (List<?>) widths;
        int inner = ((Number) values.get(2)).intValue();
        assertThat(((Number) values.get(0)).intValue()).as("page width %s", values).isLessThanOrEqualTo(inner);
        assertThat(((Number) values.get(1)).intValue()).as("body width %s", values).isLessThanOrEqualTo(inner);
    }

    /** Saves the whole page as {@code name.png}, and what the viewport shows without scrolling in viewport/. */
    private static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("viewport").resolve(name + ".png")));
    }

    private static long number(String text) {
        return Long.parseLong(Objects.requireNonNull(text).replaceAll("\\D", ""));
    }

    private static String label(String state) {
        return Character.toUpperCase(state.charAt(0)) + state.substring(1);
    }
}
