package io.quarkiverse.hangfire.deployment;

import io.quarkus.builder.item.SimpleBuildItem;

/** The datasource the jobs are stored in and the persistence unit that uses it, checked at build time. */
final class StorageUnitBuildItem extends SimpleBuildItem {

    final String datasource;
    final String persistenceUnit;

    StorageUnitBuildItem(String datasource, String persistenceUnit) {
        this.datasource = datasource;
        this.persistenceUnit = persistenceUnit;
    }
}
