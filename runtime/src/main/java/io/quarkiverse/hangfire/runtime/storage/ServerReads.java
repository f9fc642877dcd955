package io.quarkiverse.hangfire.runtime.storage;

import java.time.Duration;
import java.util.List;

import org.hibernate.Session;

import io.quarkiverse.hangfire.ServerInfo;
import io.quarkiverse.hangfire.runtime.storage.entity.ServerEntity;

import static io.quarkiverse.hangfire.runtime.storage.JobClock.fromDb;

/** The servers as the monitor API, the dashboard and the Dev UI read them, in the caller's session. */
public final class ServerReads {

    private ServerReads() {
    }

    /** The servers that sent a heartbeat within {@code leaseTimeout}, oldest first. */
    public static List<ServerInfo> alive(Session session, Duration leaseTimeout) {
        return session.createSelectionQuery(
                "from ServerEntity s where s.lastHeartbeat >= :alive order by s.startedAt, s.id", ServerEntity.class)
                .setParameter("alive", JobClock.toDb(JobClock.now().minus(leaseTimeout))).getResultList().stream()
                .map(s -> new ServerInfo(s.getId(), List.of(s.getQueues().split(",")), s.getWorkers(),
                        fromDb(s.getStartedAt()), fromDb(s.getLastHeartbeat())))
                .toList();
    }
}
