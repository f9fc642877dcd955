package io.quarkiverse.hangfire.runtime.dashboard;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes an endpoint of the dashboard's JSON API for its OpenAPI document, which the build writes from the
 * resource's Jakarta REST annotations and these.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiDoc {

    /** One sentence: what the endpoint answers or does. */
    String value();

    /** Whether the endpoint changes jobs: then it needs a full dashboard role and the CSRF header. */
    boolean action() default false;

    /** What the endpoint answers, when its method returns a {@code Response} (to set a cookie). */
    Class<?> returns() default Void.class;

    /** The status codes it answers besides 200 and the access errors (401, 403), with what each means. */
    String[] errors() default {};
}
