package io.quarkiverse.hangfire.demo;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.vertx.core.http.HttpServerRequest;

/**
 * The demo's own endpoints ({@code /demo/...}) create jobs and show job details unredacted, to anyone who can call
 * them: they are for trying the extension on your machine. So they answer only requests from this machine (the
 * loopback address, not through a proxy) that come from the demo's own page (no Origin header, or one naming this
 * host), in every launch mode. The dashboard under {@code /hangfire} has its own, real security.
 */
public class LocalOnlyFilter {

    @ServerRequestFilter
    public Response localOnly(SimpleResourceInfo resource, HttpServerRequest request) {
        // by the matched resource, not the path, which has spellings of its own ("/demo/./jobs")
        if (resource.getResourceClass() != DemoResource.class) {
            return null;
        }
        if (!fromThisMachine(request)) {
            return refuse("The demo's endpoints answer only requests from this machine (the loopback address, not"
                    + " through a proxy); they are for local use");
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !sameHost(origin, request)) {
            return refuse("The demo's endpoints answer only requests from the demo's own page, not from origin "
                    + origin);
        }
        return null;
    }

    private static boolean fromThisMachine(HttpServerRequest request) {
        // behind a proxy every request comes from the local machine: its real client is elsewhere
        if (request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-For") != null
                || request.remoteAddress() == null || request.remoteAddress().hostAddress() == null) {
            return false;
        }
        try {
            // hostAddress is a literal IP address: no name lookup
            return InetAddress.getByName(request.remoteAddress().hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean sameHost(String origin, HttpServerRequest request) {
        try {
            URI uri = URI.create(origin);
            String host = request.authority() != null ? request.authority().toString() : request.getHeader("Host");
            if (host == null || uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
            return host.equalsIgnoreCase(uri.getHost() + ":" + port)
                    || (uri.getPort() < 0 && host.equalsIgnoreCase(uri.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Response refuse(String message) {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN_TYPE).entity(message).build();
    }
}
