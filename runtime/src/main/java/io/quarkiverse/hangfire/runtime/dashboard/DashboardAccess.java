package io.quarkiverse.hangfire.runtime.dashboard;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.quarkiverse.hangfire.runtime.config.HangfireConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who may see the dashboard and who may act through it. Outside dev and test mode every request needs an
 * authenticated user with one of the configured roles; read-only roles may only read. Actions also need the
 * CSRF token: the value of a cookie set by the dashboard, sent back in a header, which a page of another site
 * cannot read or send.
 */
@Singleton
public class DashboardAccess {

    public static final String CSRF_COOKIE = "hangfire-csrf";
    public static final String CSRF_HEADER = "X-Hangfire-CSRF";

    // an instance field: a static one would be created while the native image is built and frozen into it
    private final SecureRandom random = new SecureRandom();

    @Inject
    HangfireConfig config;

    @Inject
    SecurityIdentity identity;

    /** What a request may do. */
    enum Level {
        READ,
        WRITE
    }

    /** @param user the user's name, null for an anonymous local request */
    record Grant(String user, boolean readOnly) {
    }

    void checkConfiguration(@Observes StartupEvent start) {
        if (openOnLocalhost().orElse(false) && LaunchMode.current() == LaunchMode.NORMAL) {
            throw new ConfigurationException("quarkus.hangfire.dashboard.open-on-localhost=true is refused in production mode:"
                    + " behind a reverse proxy every request comes from the local machine. Give the dashboard's users the role "
                    + config.dashboard().roles() + " instead, or switch the dashboard off with"
                    + " quarkus.hangfire.dashboard.enabled=false", java.util.Set.of("quarkus.hangfire.dashboard.open-on-localhost"));
        }
    }

    /** The grant of this request, or a 401 (not logged in) or 403 (no dashboard role) exception. */
    Grant require(Level level, HttpServerRequest request) {
        if (isOpenLocalRequest(request)) {
            return new Grant(identity.isAnonymous() ? null : identity.getPrincipal().getName(), false);
        }
        if (identity.isAnonymous()) {
            throw new UnauthorizedException("The dashboard needs a logged-in user");
        }
        String user = identity.getPrincipal().getName();
        if (hasAny(config.dashboard().roles())) {
            return new Grant(user, false);
        }
        if (hasAny(config.dashboard().readOnlyRoles())) {
            if (level == Level.WRITE) {
                throw forbidden("User '" + user + "' may look at the dashboard but not change jobs: that needs one of the roles "
                        + config.dashboard().roles());
            }
            return new Grant(user, true);
        }
        throw forbidden("User '" + user + "' has none of the dashboard's roles " + config.dashboard().roles() + " (full) or "
                + config.dashboard().readOnlyRoles() + " (read-only)");
    }

    /** Actions must carry the token from the dashboard's cookie, and come from the dashboard's own origin. */
    void checkCsrf(HttpHeaders headers, HttpServerRequest request) {
        String header = headers.getHeaderString(CSRF_HEADER);
        jakarta.ws.rs.core.Cookie cookie = headers.getCookies().get(CSRF_COOKIE);
        if (header == null || header.isEmpty() || cookie == null || !MessageDigest.isEqual(
                header.getBytes(StandardCharsets.UTF_8), cookie.getValue().getBytes(StandardCharsets.UTF_8))) {
            throw forbidden("Missing or wrong CSRF token: send the value of the cookie '" + CSRF_COOKIE + "' (set by GET "
                    + "api/me) in the header '" + CSRF_HEADER + "'");
        }
        String origin = headers.getHeaderString("Origin");
        if (origin != null && !origin.equals("null") && !sameHost(origin, request)) {
            throw forbidden("Cross-origin request from " + origin + " refused");
        }
    }

    /** A cookie with a fresh token, unless the request already carries one. */
    Optional<NewCookie> csrfCookie(HttpHeaders headers, String dashboardPath) {
        if (headers.getCookies().containsKey(CSRF_COOKIE)) {
            return Optional.empty();
        }
        byte[] token = new byte[32];
        random.nextBytes(token);
        return Optional.of(new NewCookie.Builder(CSRF_COOKIE).value(Base64.getUrlEncoder().withoutPadding().encodeToString(token))
                .path(dashboardPath).sameSite(NewCookie.SameSite.STRICT).httpOnly(false).build());
    }

    private boolean isOpenLocalRequest(HttpServerRequest request) {
        boolean open = openOnLocalhost().orElse(LaunchMode.current().isDevOrTest());
        if (!open || request.remoteAddress() == null) {
            return false;
        }
        // a forwarded request came through a proxy: its real client is elsewhere
        if (request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-For") != null) {
            return false;
        }
        try {
            String host = request.remoteAddress().hostAddress();
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private Optional<Boolean> openOnLocalhost() {
        return config.dashboard().openOnLocalhost();
    }

    private boolean hasAny(List<String> roles) {
        for (String role : roles) {
            if (identity.hasRole(role)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameHost(String origin, HttpServerRequest request) {
        try {
            URI uri = URI.create(origin);
            String host = request.authority() != null ? request.authority().toString() : request.getHeader("Host");
            if (host == null || uri.getHost() == null) {
                return false;
            }
            String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return originHost.equalsIgnoreCase(host) || (uri.getPort() < 0 && host.equalsIgnoreCase(uri.getHost()
                    + (uri.getScheme().equals("https") ? ":443" : ":80")));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static WebApplicationException forbidden(String message) {
        return new WebApplicationException(Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new DashboardViews.Error(message, null)).build());
    }
}
