package io.quarkiverse.hangfire.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.hangfire.runtime.storage.EnqueueChannel.Message;

class EnqueueChannelMessageTest {

    @Test
    void aMessageNamesItsSenderAndQueues() {
        Message m = Message.parse("a1b2c3d4-e5f6 critical default");
        assertThat(m.sender()).isEqualTo("a1b2c3d4-e5f6");
        assertThat(m.queues()).containsExactly("critical", "default");
        assertThat(m.concerns(List.of("default"))).isTrue();
        assertThat(m.concerns(List.of("reports", "emails"))).isFalse();
    }

    @Test
    void aMessageWithoutQueuesConcernsEveryServer() {
        // what a sender sends when its list of queues would not fit in a payload
        Message m = Message.parse("a1b2c3d4-e5f6");
        assertThat(m.queues()).isEmpty();
        assertThat(m.concerns(List.of("reports"))).isTrue();
        assertThat(Message.parse(null).concerns(List.of("default"))).isTrue();
        assertThat(Message.parse("").sender()).isEmpty();
    }
}
