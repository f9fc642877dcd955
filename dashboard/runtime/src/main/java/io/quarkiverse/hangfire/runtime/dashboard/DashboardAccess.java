package io.quarkiverse.hangfire.runtime.dashboard;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.config.Secret;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * Who may see the dashboard and who may act through it. Outside dev and test mode every request needs an
 * authenticated user with one of the configured roles; read-only roles may only read. Actions also need the
 * CSRF token: the value of a cookie set by the dashboard, sent back in a header, which a page of another site
 * cannot read or send. The token must also be one this dashboard signed for the same user (see {@link CsrfTokens}),
 * and a browser's {@code Origin}, when sent, must be the dashboard's own.
 */
@Singleton
public class DashboardAccess {

    public static final String CSRF_COOKIE = "hangfire-csrf";
    public static final String CSRF_HEADER = "X-Hangfire-CSRF";

    private static final String CSRF_KEY = "quarkus.hangfire.dashboard.csrf-key";

    @Inject
    DashboardConfig config;

    @Inject
    SecurityIdentity identity;

    /** Made on first use, at run time: a native image must not hold a random generator or a generated key. */
    private volatile CsrfTokens tokens;

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
        configuredKey().ifPresent(key -> {
            if (key.length < CsrfTokens.MIN_KEY_BYTES) {
                throw new ConfigurationException(CSRF_KEY + " is " + key.length + " bytes long; it needs at least "
                        + CsrfTokens.MIN_KEY_BYTES + " (for example the output of: openssl rand -base64 48)", Set.of(CSRF_KEY));
            }
        });
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

    /**
     * Actions must come from the dashboard's own origin when a browser names one, and carry the same token in the
     * cookie and the header: a token this dashboard issued to this user, not expired.
     */
    void checkCsrf(Grant grant, HttpHeaders headers, HttpServerRequest request) {
        String origin = headers.getHeaderString("Origin");
        if (origin != null && !sameHost(origin, request)) {
            throw forbidden(origin.equals("null")
                    ? "Actions from an opaque origin (Origin: null, as sent by sandboxed frames and some redirects) are refused"
                    : "Cross-origin request from " + quote(origin) + " refused: actions must come from the dashboard's own"
                            + " page");
        }
        String header = headers.getHeaderString(CSRF_HEADER);
        jakarta.ws.rs.core.Cookie cookie = headers.getCookies().get(CSRF_COOKIE);
        if (header == null || header.isEmpty() || cookie == null || !MessageDigest.isEqual(
                header.getBytes(StandardCharsets.UTF_8), cookie.getValue().getBytes(StandardCharsets.UTF_8))) {
            throw csrfRefused("Missing or wrong CSRF token: send the value of the cookie '" + CSRF_COOKIE + "' (set by GET "
                    + "api/me) in the header '" + CSRF_HEADER + "'");
        }
        if (tokens().age(header, CsrfTokens.subject(grant.user())).isEmpty()) {
            throw csrfRefused("The CSRF token was not issued to " + (grant.user() == null ? "this anonymous local user"
                    : "user '" + grant.user() + "'") + " by this dashboard, or has expired: GET api/me for a new one in the"
                    + " cookie '" + CSRF_COOKIE + "'");
        }
    }

    /**
     * A cookie with a new token, unless the request carries one this dashboard issued to this user less than
     * {@link CsrfTokens#RENEW_AFTER} ago. Marked {@code Secure} when the request came over HTTPS, as Vert.x resolved
     * its scheme: that honours {@code X-Forwarded-Proto} and {@code Forwarded} only when Quarkus's proxy settings
     * trust them.
     */
    Optional<NewCookie> csrfCookie(Grant grant, HttpHeaders headers, HttpServerRequest request, String dashboardPath) {
        String subject = CsrfTokens.subject(grant.user());
        jakarta.ws.rs.core.Cookie current = headers.getCookies().get(CSRF_COOKIE);
        if (current != null && tokens().age(current.getValue(), subject)
                .filter(age -> age.compareTo(CsrfTokens.RENEW_AFTER) < 0).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new NewCookie.Builder(CSRF_COOKIE).value(tokens().issue(subject)).path(dashboardPath)
                .sameSite(NewCookie.SameSite.STRICT).secure("https".equalsIgnoreCase(request.scheme())).httpOnly(false)
                .build());
    }

    private CsrfTokens tokens() {
        CsrfTokens made = tokens;
        if (made == null) {
            synchronized (this) {
                made = tokens;
                if (made == null) {
                    tokens = made = new CsrfTokens(configuredKey().orElseGet(CsrfTokens::randomKey), Clock.systemUTC());
                }
            }
        }
        return made;
    }

    private Optional<byte[]> configuredKey() {
        // an unset secret comes as a present Optional of a Secret holding null
        return config.dashboard().csrfKey().map(Secret::get).map(key -> key.getBytes(StandardCharsets.UTF_8));
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

    /**
     * Whether the origin is {@code http(s)://host[:port]} naming the host and port this request was sent to. Anything
     * else, {@code null} and malformed values included, is not. The schemes are not compared: behind a proxy that
     * ends TLS the browser's origin is https and the request reaching Quarkus is http.
     */
    static boolean sameHost(String origin, HttpServerRequest request) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme();
        boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
        if (!web || uri.getHost() == null || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return false;
        }
        HostAndPort authority = request.authority();
        if (authority == null || authority.host() == null) {
            return false;
        }
        // a Host without a port is the default port of the scheme the browser used, the origin's
        int defaultPort = "https".equalsIgnoreCase(scheme) ? 443 : 80;
        int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
        int requestPort = authority.port() < 0 ? defaultPort : authority.port();
        return originPort == requestPort && unbracketed(uri.getHost()).equalsIgnoreCase(unbracketed(authority.host()));
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** A client's value in an error message: quoted, and short. */
    private static String quote(String value) {
        return "'" + (value.length() > 100 ? value.substring(0, 100) + "..." : value) + "'";
    }

    /**
     * A refused token, marked for clients by the answer's {@code X-Hangfire-CSRF: refused} header, so that the UI can
     * fetch a new token and retry without reading the message.
     */
    private static WebApplicationException csrfRefused(String message) {
        return new WebApplicationException(Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                .header(CSRF_HEADER, "refused").entity(new DashboardViews.Error(message, null)).build());
    }

    static WebApplicationException forbidden(String message) {
        return new WebApplicationException(Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new DashboardViews.Error(message, null)).build());
    }
}
