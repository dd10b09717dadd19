package dev.omni.platform.outbox;

import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.Topics;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.platform.sql.NativeSql;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The rows {@link Outbox} writes: one array per column, stamped in the order written, also across calls. */
class OutboxColumnsTest {

    private final Outbox outbox = new Outbox(new NativeSql());

    @Test
    void eachEventBecomesOneRowOfItsTopicKeyTypeAndEnvelope() {
        CloudEvent<ProfileErased> event = erased("p-1");

        Object[] columns = outbox.columns(List.of(event));

        assertThat(columns).hasSize(6);
        assertThat((UUID[]) columns[0]).containsExactly(event.id());
        assertThat((String[]) columns[1]).containsExactly(Topics.PROFILES);
        assertThat((String[]) columns[2]).containsExactly("p-1");
        assertThat((String[]) columns[3]).containsExactly(EventType.PROFILE_ERASED.type());
        assertThat((String[]) columns[4]).containsExactly(EventCodec.encode(event));
    }

    @Test
    void stampsRiseStrictlyWithinACallAndAcrossCallsEvenInTheSameMicrosecond() {
        List<OffsetDateTime> stamps = new ArrayList<>();
        for (int call = 0; call < 50; call++) {
            List<CloudEvent<ProfileErased>> events = IntStream.range(0, 20).mapToObj(i -> erased("p-" + i)).toList();
            stamps.addAll(List.of((OffsetDateTime[]) outbox.columns(events)[5]));
        }

        for (int i = 1; i < stamps.size(); i++) {
            assertThat(stamps.get(i)).isAfter(stamps.get(i - 1));
            assertThat(stamps.get(i).getNano() % 1_000).isZero();
        }
        assertThat(stamps.get(0).toInstant()).isBetween(Instant.now().minusSeconds(5), Instant.now());
    }

    private static CloudEvent<ProfileErased> erased(String profileId) {
        return CloudEvent.of(EventType.PROFILE_ERASED, "/test", profileId, new ProfileErased(profileId, Instant.now()));
    }
}
