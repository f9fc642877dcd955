package io.quarkiverse.hangfire.runtime.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess.Grant;
import io.quarkiverse.hangfire.runtime.dashboard.DashboardAccess.Level;
import io.vertx.core.http.HttpServerRequest;

/**
 * The dashboard's web UI: its page, scripts and styles, the chart library and the API's OpenAPI document. The JSON
 * API it reads and acts through is {@link DashboardApi} and {@link DashboardActions}. All three are registered by the
 * build under {@code quarkus.hangfire.dashboard.path}, hence no class-level {@code @Path}; every method starts with
 * the access check, and {@link DashboardHeaders} puts the security headers on every answer.
 */
@jakarta.enterprise.context.RequestScoped
public class DashboardPages {

    /** The UI's own files, flat, in {@code META-INF/hangfire-dashboard/}. */
    static final String UI_FOLDER = "META-INF/hangfire-dashboard/";
    /** Written by the build from the API classes (see {@link ApiDoc}). */
    public static final String OPENAPI_RESOURCE = UI_FOLDER + "openapi.json";
    public static final String CHART_JS_RESOURCE = "META-INF/resources/webjars/chart.js/4.4.7/dist/chart.umd.js";

    private static final Pattern ASSET = Pattern.compile("[a-z0-9-]+\\.(js|css|svg)");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Inject
    DashboardAccess access;

    @Inject
    DashboardBuildTimeConfig buildConfig;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uri;

    @Context
    HttpServerRequest request;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response index() {
        Grant grant = access.require(Level.READ, request);
        String dashboardPath = dashboardPath(uri, buildConfig);
        if (!request.path().endsWith("/")) {
            // the UI's links are relative to the folder. The target is the configured path, never the request's:
            // "//evil.example/%2e%2e/hangfire" also reaches this method, and echoing it would send the browser away
            return Response.status(Response.Status.SEE_OTHER).header("Location", dashboardPath + "/").build();
        }
        Response.ResponseBuilder page = ui(resource(UI_FOLDER + "index.html"), "text/html;charset=UTF-8");
        access.csrfCookie(grant, headers, request, dashboardPath).ifPresent(page::cookie);
        return page.build();
    }

    @GET
    @Path("assets/{file}")
    public Response asset(@PathParam("file") String file) {
        access.require(Level.READ, request);
        if (!ASSET.matcher(file).matches()) {
            throw new NotFoundException();
        }
        String type = file.endsWith(".js") ? "text/javascript;charset=UTF-8"
                : file.endsWith(".css") ? "text/css;charset=UTF-8" : "image/svg+xml";
        return ui(resource(UI_FOLDER + file), type).header("Cache-Control", "no-cache").build();
    }

    @GET
    @Path("lib/chart.js")
    public Response chartJs() {
        access.require(Level.READ, request);
        return ui(resource(CHART_JS_RESOURCE), "text/javascript;charset=UTF-8").header("Cache-Control", "max-age=86400")
                .build();
    }

    @GET
    @Path("api/openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response openApi() {
        access.require(Level.READ, request);
        String document = new String(resource(OPENAPI_RESOURCE), StandardCharsets.UTF_8).replace("${dashboardPath}",
                dashboardPath(uri, buildConfig));
        return Response.ok(document, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * The dashboard's absolute path: the configured one under the REST root (quarkus.http.root-path and the REST
     * path, and a proxy's X-Forwarded-Prefix when Quarkus is told to trust it), never taken from the request's path.
     */
    static String dashboardPath(UriInfo uri, DashboardBuildTimeConfig buildConfig) {
        String path = stripSlash(uri.getBaseUri().getPath()) + stripSlash(buildConfig.dashboard().path());
        // one leading slash: "//host/..." in a Location header would name another site
        return "/" + path.replaceFirst("^/+", "");
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Response.ResponseBuilder ui(byte[] content, String type) {
        return Response.ok(content).type(type).header("Content-Security-Policy", CSP).header("Referrer-Policy", "no-referrer");
    }

    private static byte[] resource(String name) {
        // the application's class loader: it also sees what the build generated (the OpenAPI document)
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new NotFoundException();
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + name, e);
        }
    }
}
