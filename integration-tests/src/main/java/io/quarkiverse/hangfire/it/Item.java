package io.quarkiverse.hangfire.it;

/** A record argument, stored as JSON. */
public record Item(String sku, int quantity) {
}
