package io.quarkiverse.hangfire.bench;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.hangfire.JobScheduler;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * One jar, three roles, chosen with {@code -Dbench.mode}: {@code driver} (the default) runs the scenarios and
 * writes the results; {@code server} is a pure job server that the driver starts as a child process;
 * {@code pickup-local} is a server that enqueues its own probes, for the local pickup latency.
 */
@QuarkusMain
public class BenchMain implements QuarkusApplication {

    @Inject
    JobScheduler jobs;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    jakarta.transaction.TransactionManager transactions;

    /** The server's own storage transactions, for the storage-only drain (an internal of the extension, measured). */
    @Inject
    io.quarkiverse.hangfire.runtime.server.ServerTransactions serverTransactions;

    @Inject
    io.quarkiverse.hangfire.runtime.config.HangfireConfig config;

    /** Where this process answers HTTP (a free port): the growth curve calls its dashboard. */
    @Inject
    io.quarkus.vertx.http.HttpServer http;

    @Override
    public int run(String... args) throws Exception {
        Options options = new Options(args);
        switch (System.getProperty("bench.mode", "driver")) {
            case "server" -> {
                Quarkus.waitForExit();
                return 0;
            }
            case "pickup-local" -> {
                new Latency(jobs, transactions, 0).localChild(options, java.nio.file.Path.of(System.getProperty("bench.out")));
                return 0;
            }
            default -> {
                return new Driver(jobs, dataSource, transactions, options, http.getPort(),
                        new StorageDrain(serverTransactions, config.server().fetchBatchSize())).run();
            }
        }
    }
}
