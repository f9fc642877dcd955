package io.quarkiverse.hangfire.runtime.dashboard;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * The headers every answer of the dashboard carries, errors included: {@code X-Content-Type-Options: nosniff}, so
 * that no browser reads job data as a script or a page, and {@code Cache-Control: no-store} unless the answer chose
 * its own caching (the UI's script and style), so that no job data stays in a shared or browser cache. Bound to
 * the dashboard's resources alone by {@link Bound}; the application's own endpoints are left as they are.
 */
public class DashboardHeaders implements ContainerResponseFilter {

    /** Binds this filter to the dashboard's resource (registered by the build with this binding). */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.TYPE, ElementType.METHOD })
    public @interface Bound {
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.putSingle("X-Content-Type-Options", "nosniff");
        if (!headers.containsKey("Cache-Control")) {
            headers.putSingle("Cache-Control", "no-store");
        }
    }
}
