package io.quarkiverse.hangfire.deployment;

import io.quarkus.builder.item.MultiBuildItem;

/** The generated recording stand-in of one class that declares job methods. */
public final class CallRecorderClassBuildItem extends MultiBuildItem {

    final String jobClassName;
    final String recorderClassName;

    CallRecorderClassBuildItem(String jobClassName, String recorderClassName) {
        this.jobClassName = jobClassName;
        this.recorderClassName = recorderClassName;
    }
}
