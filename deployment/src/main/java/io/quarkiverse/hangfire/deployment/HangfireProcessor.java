package io.quarkiverse.hangfire.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import jakarta.persistence.Entity;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexReader;

import io.quarkiverse.hangfire.runtime.config.HangfireBuildTimeConfig;
import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;
import io.quarkiverse.hangfire.runtime.storage.StorageRecorder;
import io.quarkiverse.hangfire.runtime.storage.StorageUnit;
import io.quarkus.agroal.spi.JdbcDataSourceBuildItem;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.arc.processor.BuiltinScope;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.datasource.common.runtime.DataSourceUtil;
import io.quarkus.hibernate.orm.deployment.HibernateOrmConfig;
import io.quarkus.hibernate.orm.deployment.integration.HibernateOrmIntegrationStaticConfiguredBuildItem;
import io.quarkus.hibernate.orm.deployment.spi.AdditionalJpaModelBuildItem;
import io.quarkus.hibernate.orm.runtime.PersistenceUnitUtil;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Build steps of Quarkus Hangfire for the extension itself: find the runtime's beans and entities, and put the
 * entities, under the table prefix, in the persistence unit of the jobs' datasource ({@code quarkus.hangfire.datasource},
 * the default one unless set). The application's job methods are
 * {@link JobMethodsProcessor}'s; the dashboard is the quarkus-hangfire-dashboard extension's.
 */
class HangfireProcessor {

    static final String FEATURE = "hangfire";
    private static final DotName ENTITY = DotName.createSimple(Entity.class);
    private static final String RUNTIME_INDEX = "META-INF/hangfire-runtime.idx";
    /** The runtime packages that use an optional extension: their beans exist only when the application has it. */
    private static final java.util.Set<String> OPTIONAL_PACKAGES = java.util.Set.of("io.quarkiverse.hangfire.runtime.health",
            "io.quarkiverse.hangfire.runtime.metrics", "io.quarkiverse.hangfire.runtime.tracing");
    private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,29}");

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    // ---- the runtime module's own beans and entities ----

    @BuildStep
    RuntimeIndexBuildItem readRuntimeIndex() throws IOException {
        try (InputStream in = HangfireProcessor.class.getClassLoader().getResourceAsStream(RUNTIME_INDEX)) {
            if (in == null) {
                throw new IllegalStateException(RUNTIME_INDEX + " is missing from the quarkus-hangfire jar; it is written by"
                        + " the jandex-maven-plugin when the runtime module is built");
            }
            return new RuntimeIndexBuildItem(new IndexReader(in).read());
        }
    }

    /**
     * Every scoped class of the runtime module is a bean, but the optional integrations' (they need an extension the
     * application may not have, and are added by their own steps when it does).
     */
    @BuildStep
    AdditionalBeanBuildItem runtimeBeans(RuntimeIndexBuildItem runtime) {
        AdditionalBeanBuildItem.Builder beans = AdditionalBeanBuildItem.builder().setUnremovable();
        for (ClassInfo type : runtime.index.getKnownClasses()) {
            boolean scoped = BuiltinScope.isDeclaredOn(type);
            if (scoped && !OPTIONAL_PACKAGES.contains(type.name().packagePrefix())) {
                beans.addBeanClass(type.name().toString());
            }
        }
        return beans.build();
    }

    @BuildStep
    StorageEntitiesBuildItem findStorageEntities(RuntimeIndexBuildItem runtime) {
        return new StorageEntitiesBuildItem(runtime.index.getAnnotations(ENTITY).stream()
                .map(entity -> entity.target().asClass().name().toString()).sorted().toList());
    }

    // ---- storage ----

    /**
     * The datasource of {@code quarkus.hangfire.datasource} (the default one when unset), which must be configured, and
     * the one persistence unit that uses it.
     */
    @BuildStep
    StorageUnitBuildItem storageUnit(HangfireBuildTimeConfig config, HibernateOrmConfig orm,
            List<JdbcDataSourceBuildItem> datasources) {
        String datasource = config.datasource().orElse(DataSourceUtil.DEFAULT_DATASOURCE_NAME);
        String shown = DataSourceUtil.isDefault(datasource) ? "the default datasource" : "datasource '" + datasource + "'";
        if (datasources.stream().noneMatch(d -> d.getName().equals(datasource))) {
            List<String> names = datasources.stream().map(JdbcDataSourceBuildItem::getName).sorted().toList();
            throw new ConfigurationException("quarkus.hangfire.datasource names " + shown + ", but no such JDBC datasource"
                    + " is configured (configured: " + (names.isEmpty() ? "none" : names) + "): add its"
                    + (DataSourceUtil.isDefault(datasource) ? " quarkus.datasource.db-kind and jdbc.url"
                            : " quarkus.datasource.\"" + datasource + "\".db-kind and jdbc.url"),
                    Set.of("quarkus.hangfire.datasource"));
        }
        if (DataSourceUtil.isDefault(datasource)) {
            return new StorageUnitBuildItem(datasource, PersistenceUnitUtil.DEFAULT_PERSISTENCE_UNIT_NAME);
        }
        List<String> units = new ArrayList<>();
        if (orm.defaultPersistenceUnit().datasource().filter(datasource::equals).isPresent()) {
            units.add(PersistenceUnitUtil.DEFAULT_PERSISTENCE_UNIT_NAME);
        }
        orm.namedPersistenceUnits().forEach((name, unit) -> {
            if (unit.datasource().filter(datasource::equals).isPresent()) {
                units.add(name);
            }
        });
        if (units.size() != 1) {
            throw new ConfigurationException("quarkus.hangfire.datasource names " + shown + ", and the jobs are stored"
                    + " through the one persistence unit that uses it, but " + (units.isEmpty() ? "none does"
                            : units.size() + " do: " + units.stream().sorted().toList())
                    + ": configure exactly one, such as quarkus.hibernate-orm.\"" + datasource + "\".datasource="
                    + datasource, Set.of("quarkus.hangfire.datasource"));
        }
        return new StorageUnitBuildItem(datasource, units.get(0));
    }

    /** The storage entities join the persistence unit of the jobs' datasource. */
    @BuildStep
    void addEntitiesToPersistenceUnit(StorageEntitiesBuildItem entities, StorageUnitBuildItem unit,
            BuildProducer<AdditionalJpaModelBuildItem> models) {
        for (String entity : entities.classNames) {
            models.produce(new AdditionalJpaModelBuildItem(entity, Set.of(unit.persistenceUnit)));
        }
    }

    /** The beans learn the datasource and persistence unit as a {@link StorageUnit} bean. */
    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    SyntheticBeanBuildItem storageUnitBean(StorageUnitBuildItem unit, StorageRecorder recorder) {
        return SyntheticBeanBuildItem.configure(StorageUnit.class).scope(Singleton.class).unremovable()
                .supplier(recorder.storageUnit(unit.datasource, unit.persistenceUnit)).done();
    }

    /** The schema scripts are read at startup, and the history's state data is read back as a plain map. */
    @BuildStep
    void storageInNativeImage(BuildProducer<NativeImageResourceBuildItem> resources,
            BuildProducer<ReflectiveClassBuildItem> reflection) {
        List<String> scripts = new ArrayList<>();
        for (String dialect : List.of("mysql", "postgresql", "h2")) {
            for (int version = 1; version <= SchemaInstaller.CURRENT_VERSION; version++) {
                scripts.add("META-INF/hangfire/schema/" + dialect + "/V" + version + ".sql");
            }
        }
        resources.produce(new NativeImageResourceBuildItem(scripts));
        reflection.produce(ReflectiveClassBuildItem.builder(LinkedHashMap.class).constructors().build());
    }

    /** Puts the configured prefix on the entities' tables. */
    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    HibernateOrmIntegrationStaticConfiguredBuildItem tablePrefix(HangfireBuildTimeConfig config,
            StorageEntitiesBuildItem entities, StorageUnitBuildItem unit, StorageRecorder recorder) {
        String prefix = config.tablePrefix();
        if (!TABLE_PREFIX.matcher(prefix).matches()) {
            throw new ConfigurationException("quarkus.hangfire.table-prefix is '" + prefix + "'; it must start with a letter"
                    + " and have at most 30 letters, digits or underscores, such as hangfire_", Set.of("quarkus.hangfire.table-prefix"));
        }
        return new HibernateOrmIntegrationStaticConfiguredBuildItem(FEATURE, unit.persistenceUnit)
                .setInitListener(recorder.tablePrefixListener(prefix, entities.classNames));
    }
}
