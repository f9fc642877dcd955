package io.quarkiverse.hangfire.runtime.storage;

import java.lang.annotation.Annotation;

import io.quarkus.hibernate.orm.runtime.PersistenceUnitUtil;

/**
 * Where the jobs are stored: the datasource named by {@code quarkus.hangfire.datasource} and the persistence unit that
 * uses it, both resolved at build time. A bean made by the build (a synthetic bean).
 *
 * @param datasource the datasource's name, {@code <default>} for the default one
 * @param persistenceUnit the persistence unit's name, {@code <default>} for the default one
 */
public record StorageUnit(String datasource, String persistenceUnit) {

    /** The CDI qualifier of the persistence unit's beans (its {@code Session}, its {@code SessionFactory}). */
    public Annotation qualifier() {
        return PersistenceUnitUtil.qualifier(persistenceUnit);
    }

    /** For messages: "the default datasource" or "datasource 'jobs'". */
    public String describe() {
        return datasource.equals("<default>") ? "the default datasource" : "datasource '" + datasource + "'";
    }
}
