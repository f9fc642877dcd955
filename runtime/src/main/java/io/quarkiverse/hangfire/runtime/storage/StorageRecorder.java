package io.quarkiverse.hangfire.runtime.storage;

import java.util.List;
import java.util.function.Supplier;

import io.quarkus.hibernate.orm.runtime.integration.HibernateOrmIntegrationStaticInitListener;
import io.quarkus.runtime.annotations.Recorder;

/** Hands the build's storage decisions (table prefix, entities, datasource) to Hibernate and to the beans. */
@Recorder
public class StorageRecorder {

    public HibernateOrmIntegrationStaticInitListener tablePrefixListener(String prefix, List<String> entityClassNames) {
        return new TablePrefixListener(prefix, entityClassNames);
    }

    public Supplier<StorageUnit> storageUnit(String datasource, String persistenceUnit) {
        return () -> new StorageUnit(datasource, persistenceUnit);
    }
}
