package io.quarkiverse.hangfire.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop every server process runs on: when it runs the next round, how a wake and a stop end its sleep, how long
 * it waits after a failure, and that an outage is logged once, not once per attempt. Times are asserted with wide
 * margins: the point is "at once" against "after the interval", not precision.
 */
class ServerLoopTest {

    static final String FAILED = "Hangfire test loop failed; retrying in the background until the database answers again";
    static final String RECOVERED = "Hangfire test loop works again";

    final List<String> log = new CopyOnWriteArrayList<>();
    final Logger category = Logger.getLogger("io.quarkiverse.hangfire.server");
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() < Level.INFO.intValue()) {
                // the debug lines in between are not the point
                return;
            }
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            log.add(record.getLevel().intValue() >= Level.WARNING.intValue() ? "WARN " + message : message);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    ServerLoop loop;

    @BeforeEach
    void captureLog() {
        category.addHandler(capture);
    }

    @AfterEach
    void stop() {
        category.removeHandler(capture);
        if (loop != null) {
            loop.stopNow();
            assertThat(loop.join(Duration.ofSeconds(5))).as("loop ended").isTrue();
        }
    }

    @Test
    void aBusyLoopRunsAgainAtOnceWhileThereIsMoreWorkAndOtherwiseSleepsUntilWoken() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        loop = ServerLoop.busy("test loop", Duration.ofHours(1), () -> rounds.incrementAndGet() < 5);
        loop.start();
        awaitTrue(() -> rounds.get() == 5, "five rounds back to back");
        Thread.sleep(300);
        assertThat(rounds.get()).as("asleep after a round without more work").isEqualTo(5);

        loop.wake();
        awaitTrue(() -> rounds.get() == 6, "a round after the wake");
        Thread.sleep(300);
        assertThat(rounds.get()).as("asleep again").isEqualTo(6);
    }

    @Test
    void aWakeDuringARoundIsNotLost() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        loop = ServerLoop.busy("test loop", Duration.ofHours(1), () -> {
            if (rounds.incrementAndGet() == 1) {
                // a commit that enqueued a job while this round was looking for jobs
                loop.wake();
            }
            return false;
        });
        loop.start();
        awaitTrue(() -> rounds.get() == 2, "the round after a wake that came during the first");
        Thread.sleep(300);
        assertThat(rounds.get()).as("asleep once the wake was used").isEqualTo(2);
    }

    @Test
    void aPeriodicLoopWaitsOneIntervalBeforeEachRoundAndAWakeDoesNotHurryIt() throws Exception {
        List<Long> at = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        loop = ServerLoop.every("test loop", Duration.ofMillis(200), () -> {
            at.add(System.nanoTime());
            return false;
        });
        loop.start();
        awaitTrue(() -> at.size() >= 3, "three rounds");
        assertThat(millis(started, at.get(0))).as("first round after one interval").isGreaterThanOrEqualTo(195);
        assertThat(millis(at.get(0), at.get(1))).as("interval between rounds").isGreaterThanOrEqualTo(195);
        assertThat(millis(at.get(1), at.get(2))).as("interval between rounds").isGreaterThanOrEqualTo(195);
    }

    @Test
    void aFailingLoopWarnsOncePerOutageAndSaysWhenItWorksAgain() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        // rounds 1-3 fail, 4-5 work, 6-7 fail, then it works
        loop = ServerLoop.every("test loop", Duration.ofMillis(20), () -> {
            int round = rounds.incrementAndGet();
            if (round <= 3 || round == 6 || round == 7) {
                throw new IllegalStateException("database down (round " + round + ")");
            }
            return false;
        });
        loop.start();
        awaitTrue(() -> rounds.get() >= 9, "nine rounds");
        assertThat(log).as("log lines").startsWith("WARN " + FAILED, RECOVERED, "WARN " + FAILED, RECOVERED);
        assertThat(log).as("log lines").hasSize(4);
    }

    @Test
    void aBusyLoopPausesASecondAfterAFailureEvenWhenWoken() throws Exception {
        List<Long> at = new CopyOnWriteArrayList<>();
        loop = ServerLoop.busy("test loop", Duration.ZERO, () -> {
            at.add(System.nanoTime());
            if (at.size() == 1) {
                throw new IllegalStateException("database down");
            }
            Thread.sleep(50);
            return false;
        });
        loop.start();
        awaitTrue(() -> at.size() == 1, "the failed round");
        loop.wake();
        awaitTrue(() -> at.size() >= 2 && log.size() >= 2, "the retry, and its success");
        assertThat(millis(at.get(0), at.get(1))).as("pause after the failure").isGreaterThanOrEqualTo(990);
        assertThat(log).containsExactly("WARN " + FAILED, RECOVERED);
    }

    @Test
    void aStopEndsASleepingLoopAtOnce() {
        AtomicInteger rounds = new AtomicInteger();
        loop = ServerLoop.every("test loop", Duration.ofHours(1), () -> rounds.incrementAndGet() < 0);
        loop.start();
        long asked = System.nanoTime();
        loop.requestStop();
        assertThat(loop.join(Duration.ofSeconds(5))).as("ended").isTrue();
        assertThat(millis(asked, System.nanoTime())).as("time to stop").isLessThan(1000);
        assertThat(rounds.get()).as("rounds").isZero();
        assertThat(loop.running()).isFalse();
    }

    @Test
    void anAttemptOutsideTheLoopCountsForItsOutageLog() {
        loop = ServerLoop.every("test loop", Duration.ofHours(1), () -> false);
        assertThat(loop.attempt(() -> {
            throw new IllegalStateException("database down");
        })).isFalse();
        assertThat(loop.attempt(() -> {
            throw new IllegalStateException("still down");
        })).isFalse();
        assertThat(loop.attempt(() -> {
        })).isTrue();
        assertThat(log).containsExactly("WARN " + FAILED, RECOVERED);
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("within 10 s: " + what).isTrue();
            Thread.sleep(5);
        }
    }

    @Test
    void aRoundOfStepsInTurnEndsAtTheFirstFullBatch() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        boolean[] full = { true, false, false };
        ServerLoop.Round round = ServerLoop.inTurn(
                () -> ran.add("first") && full[0],
                () -> ran.add("second") && full[1],
                () -> ran.add("third") && full[2]);

        assertThat(round.run()).as("the first batch came back full: more is waiting").isTrue();
        assertThat(ran).containsExactly("first");

        ran.clear();
        full[0] = false;
        assertThat(round.run()).isFalse();
        assertThat(ran).containsExactly("first", "second", "third");
    }
}
