package io.quarkiverse.hangfire.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
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

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.quarkiverse.hangfire");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.quarkiverse.(**)").should().beFreeOfCycles().check(classes);
    }

    /** The state machine tells {@code StateListener} beans about commits; it never calls the server. */
    @Test
    void theStateMachineDoesNotKnowTheServer() {
        noClasses().that().resideInAPackage("..runtime.state..").should().dependOnClassesThat()
                .resideInAPackage("..runtime.server..").check(classes);
    }

    /** The public API is what applications compile against: it imports nothing internal. */
    @Test
    void theApiImportsNoInternals() {
        noClasses().that().resideInAPackage("io.quarkiverse.hangfire").should().dependOnClassesThat()
                .resideInAPackage("io.quarkiverse.hangfire.runtime..").check(classes);
    }
}
