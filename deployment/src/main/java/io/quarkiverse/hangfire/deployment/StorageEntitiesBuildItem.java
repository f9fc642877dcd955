package io.quarkiverse.hangfire.deployment;

import java.util.List;

import io.quarkus.builder.item.SimpleBuildItem;

/** The class names of the storage entities, which join the default persistence unit under the table prefix. */
public final class StorageEntitiesBuildItem extends SimpleBuildItem {

    final List<String> classNames;

    StorageEntitiesBuildItem(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
    }
}
