package io.quarkiverse.hangfire.demo;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** No job server in this instance: jobs stay enqueued until a test runs them with {@code JobTesting}. */
public class ServerOffProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.hangfire.server.enabled", "false");
    }
}
