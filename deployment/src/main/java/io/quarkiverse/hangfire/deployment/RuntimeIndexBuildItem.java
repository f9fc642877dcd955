package io.quarkiverse.hangfire.deployment;

import org.jboss.jandex.IndexView;

import io.quarkus.builder.item.SimpleBuildItem;

/**
 * The Jandex index of the extension's runtime module, which its build writes as
 * {@code META-INF/hangfire-runtime.idx}: where the beans and entities the extension contributes are found.
 */
public final class RuntimeIndexBuildItem extends SimpleBuildItem {

    final IndexView index;

    RuntimeIndexBuildItem(IndexView index) {
        this.index = index;
    }
}
