package io.quarkiverse.hangfire.runtime.recurring;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkiverse.hangfire.Misfire;
import io.quarkiverse.hangfire.runtime.storage.RecurringJobStore.Definition;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry;
import io.quarkiverse.hangfire.runtime.registry.JobRegistry.RecurringDeclaration;

/**
 * Adds or updates the {@code @Recurring} jobs when the application starts, resolving cron expressions given as
 * {@code ${config.key}} or {@code ${config.key:default}}; {@code off} or {@code -} removes one. Every instance
 * does it: the upsert keeps them consistent, and an unchanged schedule keeps its pending occurrence.
 */
@Singleton
public class RecurringSync {

    private static final Logger LOG = Logger.getLogger(RecurringSync.class);
    private static final Pattern CONFIG_REFERENCE = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}");

    @Inject
    RecurringJobManager manager;

    public void synchronize() {
        for (RecurringDeclaration declared : JobRegistry.recurring()) {
            String cron = resolve(declared);
            if (isOff(cron)) {
                if (manager.remove(declared.id())) {
                    LOG.infof("Recurring job '%s' is switched off (cron '%s') and was removed", declared.id(), declared.cron());
                }
                continue;
            }
            String queue = declared.queue() != null ? declared.queue() : JobRegistry.byName(declared.jobName()).queue();
            try {
                manager.addOrUpdate(new Definition(declared.id(), declared.jobName(), "[]", cron, declared.zone(), queue,
                        Misfire.valueOf(declared.misfire())));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("@Recurring(id = \"" + declared.id() + "\") on job " + declared.jobName()
                        + ": " + e.getMessage(), e);
            }
        }
    }

    static boolean isOff(String cron) {
        return cron.equalsIgnoreCase("off") || cron.equals("-");
    }

    private static String resolve(RecurringDeclaration declared) {
        Matcher reference = CONFIG_REFERENCE.matcher(declared.cron().trim());
        if (!reference.matches()) {
            return declared.cron().trim();
        }
        String key = reference.group(1).trim();
        return ConfigProvider.getConfig().getOptionalValue(key, String.class).or(() -> java.util.Optional
                .ofNullable(reference.group(2))).map(String::trim).orElseThrow(() -> new IllegalStateException(
                        "@Recurring(id = \"" + declared.id() + "\") on job " + declared.jobName() + " reads its cron"
                                + " expression from the configuration key '" + key + "', which is not set; set it, give a"
                                + " default as ${" + key + ":0 0 3 * * *}, or set it to 'off'"));
    }
}
