package io.quarkiverse.hangfire.runtime.dashboard;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * The headers every answer under the dashboard's path carries, errors included: {@code X-Content-Type-Options:
 * nosniff}, so that no browser reads job data as a script or a page, and {@code Cache-Control: no-store} unless the
 * answer chose its own caching (the UI's script and style), so that no job data stays in a shared or browser cache.
 * <p>
 * A Vert.x filter rather than a REST response filter: the answers Quarkus writes before or instead of the dashboard's
 * resource (401 from HTTP authentication, 404 for an unknown path, 405, 415 for a body that is not JSON) carry them
 * too. Paths outside the dashboard are left as they are.
 */
public class DashboardHeaders implements Handler<RoutingContext> {

    private final String path;
    private final String below;

    /** @param path the dashboard's absolute path, without a trailing slash (for example {@code /hangfire}) */
    public DashboardHeaders(String path) {
        this.path = path;
        this.below = path + "/";
    }

    @Override
    public void handle(RoutingContext context) {
        String requested = context.normalizedPath();
        if (requested.equals(path) || requested.startsWith(below)) {
            context.addHeadersEndHandler(ignored -> {
                MultiMap headers = context.response().headers();
                headers.set("X-Content-Type-Options", "nosniff");
                if (!headers.contains("Cache-Control")) {
                    headers.set("Cache-Control", "no-store");
                }
            });
        }
        context.next();
    }
}
