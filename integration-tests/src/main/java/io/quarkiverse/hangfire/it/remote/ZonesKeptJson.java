package io.quarkiverse.hangfire.it.remote;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The app's REST JSON keeps the zone of a ZonedDateTime and the offset of an OffsetDateTime, in both directions, so
 * that a test can send job arguments in a zone and see whether the job received them in that zone.
 */
@Singleton
public class ZonesKeptJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }
}
