package io.quarkiverse.hangfire.deployment;

import java.util.List;
import java.util.Map;

import io.quarkus.builder.item.SimpleBuildItem;

/** For each job name, the positions among its stored arguments that are encrypted at rest, ascending. */
public final class SensitiveArgumentsBuildItem extends SimpleBuildItem {

    final Map<String, List<Integer>> positions;

    SensitiveArgumentsBuildItem(Map<String, List<Integer>> positions) {
        this.positions = Map.copyOf(positions);
    }
}
