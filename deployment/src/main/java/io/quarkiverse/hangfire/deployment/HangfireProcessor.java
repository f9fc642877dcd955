package io.quarkiverse.hangfire.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.persistence.Entity;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexReader;

import io.quarkiverse.hangfire.runtime.config.HangfireBuildTimeConfig;
import io.quarkiverse.hangfire.runtime.storage.SchemaInstaller;
import io.quarkiverse.hangfire.runtime.storage.StorageRecorder;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.processor.BuiltinScope;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.hibernate.orm.deployment.integration.HibernateOrmIntegrationStaticConfiguredBuildItem;
import io.quarkus.hibernate.orm.deployment.spi.AdditionalJpaModelBuildItem;
import io.quarkus.hibernate.orm.runtime.PersistenceUnitUtil;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Build steps of Quarkus Hangfire for the extension itself: find the runtime's beans and entities, and put the
 * entities, under the table prefix, in the default persistence unit. The application's job methods are
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

    /** The storage entities join the default persistence unit. */
    @BuildStep
    void addEntitiesToPersistenceUnit(StorageEntitiesBuildItem entities, BuildProducer<AdditionalJpaModelBuildItem> models) {
        for (String entity : entities.classNames) {
            models.produce(new AdditionalJpaModelBuildItem(entity, Set.of(PersistenceUnitUtil.DEFAULT_PERSISTENCE_UNIT_NAME)));
        }
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
            StorageEntitiesBuildItem entities, StorageRecorder recorder) {
        String prefix = config.tablePrefix();
        if (!TABLE_PREFIX.matcher(prefix).matches()) {
            throw new ConfigurationException("quarkus.hangfire.table-prefix is '" + prefix + "'; it must start with a letter"
                    + " and have at most 30 letters, digits or underscores, such as hangfire_", Set.of("quarkus.hangfire.table-prefix"));
        }
        return new HibernateOrmIntegrationStaticConfiguredBuildItem(FEATURE,
                PersistenceUnitUtil.DEFAULT_PERSISTENCE_UNIT_NAME)
                .setInitListener(recorder.tablePrefixListener(prefix, entities.classNames));
    }
}
