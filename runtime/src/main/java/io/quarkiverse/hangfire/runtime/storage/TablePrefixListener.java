package io.quarkiverse.hangfire.runtime.storage;

import java.util.List;
import java.util.function.BiConsumer;

import org.hibernate.boot.Metadata;
import org.hibernate.boot.model.relational.Namespace;
import org.hibernate.boot.model.relational.Sequence;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.cfg.SchemaToolingSettings;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Table;
import org.hibernate.tool.schema.spi.SchemaFilter;
import org.hibernate.tool.schema.spi.SchemaFilterProvider;

import io.quarkus.hibernate.orm.runtime.integration.HibernateOrmIntegrationStaticInitListener;

/**
 * Puts the configured prefix in front of the extension's table names when Hibernate builds its metadata,
 * and keeps those tables out of Hibernate's own schema tooling: the extension creates and migrates them
 * with its versioned DDL, so an application's {@code drop-and-create} must neither drop nor recreate them.
 */
public class TablePrefixListener implements HibernateOrmIntegrationStaticInitListener {

    private final String prefix;
    private final List<String> entityClassNames;

    public TablePrefixListener(String prefix, List<String> entityClassNames) {
        this.prefix = prefix;
        this.entityClassNames = entityClassNames;
    }

    @Override
    public void contributeBootProperties(BiConsumer<String, Object> propertyCollector) {
        propertyCollector.accept(SchemaToolingSettings.HBM2DDL_FILTER_PROVIDER, new ExcludeHangfireTables(prefix));
    }

    @Override
    public void onMetadataInitialized(Metadata metadata, BootstrapContext bootstrapContext,
            BiConsumer<String, Object> propertyCollector) {
        for (String className : entityClassNames) {
            PersistentClass binding = metadata.getEntityBinding(className);
            if (binding != null) {
                Table table = binding.getTable();
                if (!table.getName().startsWith(prefix)) {
                    table.setName(prefix + table.getName());
                }
            }
        }
    }

    /** The schema filter: every table but ours. */
    public static final class ExcludeHangfireTables implements SchemaFilterProvider, SchemaFilter {
        private final String prefix;

        ExcludeHangfireTables(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public boolean includeNamespace(Namespace namespace) {
            return true;
        }

        @Override
        public boolean includeTable(Table table) {
            return !Tables.isExtensionTable(prefix, table.getName());
        }

        @Override
        public boolean includeSequence(Sequence sequence) {
            return true;
        }

        @Override
        public SchemaFilter getCreateFilter() {
            return this;
        }

        @Override
        public SchemaFilter getDropFilter() {
            return this;
        }

        @Override
        public SchemaFilter getTruncatorFilter() {
            return this;
        }

        @Override
        public SchemaFilter getMigrateFilter() {
            return this;
        }

        @Override
        public SchemaFilter getValidateFilter() {
            return this;
        }
    }
}
