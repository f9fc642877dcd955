package io.quarkiverse.hangfire.runtime.storage;

import java.util.List;

/** The extension's table names, with the build-time prefix applied. */
public final class Tables {

    /** Table names without prefix, as in the DDL scripts and the entities' {@code @Table}. */
    public static final List<String> NAMES = List.of("job", "job_state", "job_parameter", "job_log", "server",
            "recurring_job", "lock", "counter", "schema", "job_unique", "queue_pause", "rate_limit", "batch", "fan_in", "fan_in_parent");

    public final String prefix;
    public final String job;
    public final String state;
    public final String parameter;
    public final String log;
    public final String server;
    public final String recurring;
    public final String lock;
    public final String counter;
    public final String schema;
    public final String unique;
    public final String pause;
    public final String rateLimit;
    public final String batch;
    public final String fanIn;
    public final String fanInParent;

    public Tables(String prefix) {
        this.prefix = prefix;
        this.job = prefix + "job";
        this.state = prefix + "job_state";
        this.parameter = prefix + "job_parameter";
        this.log = prefix + "job_log";
        this.server = prefix + "server";
        this.recurring = prefix + "recurring_job";
        this.lock = prefix + "lock";
        this.counter = prefix + "counter";
        this.schema = prefix + "schema";
        this.unique = prefix + "job_unique";
        this.pause = prefix + "queue_pause";
        this.rateLimit = prefix + "rate_limit";
        this.batch = prefix + "batch";
        this.fanIn = prefix + "fan_in";
        this.fanInParent = prefix + "fan_in_parent";
    }

    static boolean isExtensionTable(String prefix, String tableName) {
        String name = tableName.replace("`", "").replace("\"", "");
        for (String table : NAMES) {
            if (name.equalsIgnoreCase(prefix + table)) {
                return true;
            }
        }
        return false;
    }
}
