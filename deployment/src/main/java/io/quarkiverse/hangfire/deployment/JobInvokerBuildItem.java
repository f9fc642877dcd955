package io.quarkiverse.hangfire.deployment;

import io.quarkus.arc.processor.InvokerInfo;
import io.quarkus.builder.item.MultiBuildItem;

/** The invoker ArC generates for one job method: how a worker calls it on its bean. */
public final class JobInvokerBuildItem extends MultiBuildItem {

    final String jobName;
    final InvokerInfo invoker;

    JobInvokerBuildItem(String jobName, InvokerInfo invoker) {
        this.jobName = jobName;
        this.invoker = invoker;
    }
}
