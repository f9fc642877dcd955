package io.quarkiverse.hangfire.runtime.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.runtime.dashboard.RedactedJson.Rendered;

/** What the dashboard hides in stored JSON and free text, including JSON cut anywhere by a bounded read. */
class RedactionTest {

    final Redaction redaction = new Redaction(List.of("password", "apiKey", " Token "));
    final List<String> secrets = new ArrayList<>();

    @Test
    void redactedNamesAreHiddenAtAnyDepthWithoutRegardToCase() {
        List<Rendered> args = json(4096).elements(
                "[{\"account\":\"a\",\"creds\":{\"PassWord\":\"pw-1234\"}},{\"apikey\":{\"k\":[\"key-5678\",42]}},\"plain\"]",
                i -> false);
        assertThat(args).extracting(Rendered::text).containsExactly("{\"account\":\"a\",\"creds\":{\"PassWord\":\"***\"}}",
                "{\"apikey\":\"***\"}", "\"plain\"");
        assertThat(secrets).containsExactly("pw-1234", "key-5678", "42");
    }

    @Test
    void aHiddenElementShowsNothingAndItsScalarsAreSecrets() {
        List<Rendered> args = json(4096).elements("[\"visible\",{\"a\":\"s3cret-value\"}]", i -> i == 1);
        assertThat(args).extracting(Rendered::text).containsExactly("\"visible\"", "***");
        assertThat(secrets).containsExactly("s3cret-value");
    }

    @Test
    void encryptedStringsAreHidden() {
        assertThat(json(4096).elements("[\"enc:AAAA\",{\"x\":\"enc:BBBB\"}]", i -> false)).extracting(Rendered::text)
                .containsExactly("\"***\"", "{\"x\":\"***\"}");
    }

    @Test
    void jsonCutInsideAStringShowsItsStartMarkedCut() {
        List<Rendered> args = json(4096).elements("[\"short\",\"a long value cut he", i -> false);
        assertThat(args).hasSize(2);
        assertThat(args.get(1).text()).isEqualTo("\"a long value cut he");
        assertThat(args.get(1).cut()).isTrue();
        assertThat(args.get(1).length()).isNull();
    }

    @Test
    void jsonCutInsideARedactedValueShowsNoneOfItButKeepsItsStartAsASecret() {
        List<Rendered> args = json(4096).elements("[{\"user\":\"u\",\"password\":\"hunter2-and-mo", i -> false);
        assertThat(args.get(0).text()).isEqualTo("{\"user\":\"u\",\"password\":\"***\"");
        assertThat(args.get(0).cut()).isTrue();
        assertThat(secrets).containsExactly("hunter2-and-mo");
    }

    @Test
    void aValueLongerThanTheLimitIsCutWithItsLength() {
        Rendered value = json(10).value("\"abcdefghijklmnop\"", false);
        assertThat(value.text()).isEqualTo("\"abcdefghi");
        assertThat(value.cut()).isTrue();
        assertThat(value.length()).isEqualTo(18L);
    }

    @Test
    void freeTextHidesTheJobsSecretsAndNamedValues() {
        List<String> jobSecrets = List.of("hunter2-xyz", "abc");
        assertThat(redaction.scrub("login with hunter2-xyz failed", jobSecrets, false)).isEqualTo("login with *** failed");
        // too short to hide everywhere
        assertThat(redaction.scrub("abc", jobSecrets, false)).isEqualTo("abc");
        assertThat(redaction.scrub("url?password=p4ss&user=u; token: t0k {\"apiKey\":\"k-1\"} TOKEN='x y'", List.of(), false))
                .isEqualTo("url?password=***&user=u; token: *** {\"apiKey\":\"***\"} TOKEN='***'");
    }

    @Test
    void theStartOfASecretAtTheEndOfACutTextIsHidden() {
        assertThat(redaction.scrub("the key is hunt", List.of("hunter2-xyz"), true)).isEqualTo("the key is ***");
        assertThat(redaction.scrub("the key is hunt", List.of("hunter2-xyz"), false)).isEqualTo("the key is hunt");
    }

    @Test
    void stateDataHidesRedactedNamesAndKeepsWhatWasReadBeforeTheCut() {
        assertThat(redaction.stateData("{\"exceptionMessage\":\"m\",\"password\":\"p\",\"stackTrace\":\"at a.b(C.java:1)\\n\\tat d",
                secrets)).containsEntry("exceptionMessage", "m").containsEntry("password", "***")
                .containsEntry("stackTrace", "at a.b(C.java:1)\\n\\tat d");
    }

    private RedactedJson json(int limit) {
        return new RedactedJson(redaction::hides, secrets, limit);
    }
}
