package io.quarkiverse.hangfire.runtime.dashboard;

import io.quarkus.runtime.annotations.Recorder;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Creates the dashboard's HTTP-level pieces at startup, from what the build resolved. */
@Recorder
public class DashboardRecorder {

    /** The filter that puts the security headers on every answer under {@code path}. */
    public Handler<RoutingContext> headers(String path) {
        return new DashboardHeaders(path);
    }
}
