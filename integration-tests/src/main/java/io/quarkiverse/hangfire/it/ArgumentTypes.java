package io.quarkiverse.hangfire.it;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Argument types of {@link TestJobs#everyType}: records nesting BigDecimals and lists of records, and enums. */
public final class ArgumentTypes {

    private ArgumentTypes() {
    }

    public record Line(String sku, BigDecimal price, int quantity) {
    }

    public record Order(String id, BigDecimal total, List<Line> lines, Optional<Instant> paidAt, Order previous) {
    }

    /** An empty record: stored as {@code {}}. */
    public record Marker() {
    }

    public enum Priority {
        LOW,
        HIGH {
            @Override
            public String toString() {
                return "high!";
            }
        }
    }
}
