package io.quarkiverse.hangfire.runtime.storage;

import java.util.List;

import io.quarkus.hibernate.orm.runtime.integration.HibernateOrmIntegrationStaticInitListener;
import io.quarkus.runtime.annotations.Recorder;

/** Hands the build's storage decisions (table prefix, entities) to Hibernate at static init. */
@Recorder
public class StorageRecorder {

    public HibernateOrmIntegrationStaticInitListener tablePrefixListener(String prefix, List<String> entityClassNames) {
        return new TablePrefixListener(prefix, entityClassNames);
    }
}
