package io.quarkiverse.hangfire.deployment;

import io.quarkus.builder.item.SimpleBuildItem;

/**
 * The outcome of validating the job methods. Code is generated only for valid declarations: an invoker or a
 * recording subclass of an invalid one (private, final) would fail the build with a message that is not ours.
 */
public final class JobMethodsCheckedBuildItem extends SimpleBuildItem {

    final boolean valid;

    JobMethodsCheckedBuildItem(boolean valid) {
        this.valid = valid;
    }
}
