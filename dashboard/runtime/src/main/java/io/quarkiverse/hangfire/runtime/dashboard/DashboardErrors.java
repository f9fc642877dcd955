package io.quarkiverse.hangfire.runtime.dashboard;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkiverse.hangfire.JobState;

/** The dashboard API's refusals, each a JSON {@link DashboardViews.Error} that says what was wrong. */
final class DashboardErrors {

    private DashboardErrors() {
    }

    static WebApplicationException badRequest(String message) {
        return new BadRequestException(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new DashboardViews.Error(message, null)).build());
    }

    static WebApplicationException notFound(String message) {
        return new NotFoundException(Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new DashboardViews.Error(message, null)).build());
    }

    /** An action that changed nothing because of what its target is now ({@code state}, when a job's). */
    static WebApplicationException conflict(String message, JobState state) {
        return new WebApplicationException(Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new DashboardViews.Error(message, state)).build());
    }
}
