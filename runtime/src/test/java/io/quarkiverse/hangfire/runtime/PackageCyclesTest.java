package io.quarkiverse.hangfire.runtime;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Calls flow one way (API implementations, then the state machine, then storage; the server beside the state
 * machine): a package that depends on another never gets a dependency back. Every package of the runtime module
 * is a slice, the public API and the internals alike.
 */
class PackageCyclesTest {

    // enabled once the server listens to the state machine (h5): StateMachine -> ServerSignals is the one
    // dependency left that closes a cycle (state <-> server, and recurring -> state -> server -> recurring)
    @Disabled("enabled once the server listens to the state machine (h5)")
    @Test
    void packagesHaveNoCycles() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.quarkiverse.hangfire");
        slices().matching("io.quarkiverse.(**)").should().beFreeOfCycles().check(classes);
    }
}
