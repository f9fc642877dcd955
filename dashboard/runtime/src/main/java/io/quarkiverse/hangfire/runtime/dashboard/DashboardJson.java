package io.quarkiverse.hangfire.runtime.dashboard;

import java.lang.reflect.Type;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The dashboard's own JSON mapping: the application may customise its {@code ObjectMapper} (naming strategy,
 * dates as numbers), but the dashboard's UI and its OpenAPI document expect this shape.
 */
final class DashboardJson {

    static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private DashboardJson() {
    }

    /** For {@code @CustomSerialization}: ignores the application's mapper. */
    public static final class Writer implements BiFunction<ObjectMapper, Type, ObjectWriter> {
        @Override
        public ObjectWriter apply(ObjectMapper applicationMapper, Type type) {
            return MAPPER.writerFor(MAPPER.constructType(type));
        }
    }

    /** For {@code @CustomDeserialization}: ignores the application's mapper. */
    public static final class Reader implements BiFunction<ObjectMapper, Type, ObjectReader> {
        @Override
        public ObjectReader apply(ObjectMapper applicationMapper, Type type) {
            return MAPPER.readerFor(MAPPER.constructType(type));
        }
    }
}
