package dev.omni.contracts;

import dev.omni.contracts.profile.ProfileErased;
import dev.omni.contracts.profile.SegmentMembershipChanged;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CloudEventTest {

    @Test
    void ofStampsAnEnvelopeForTheType() {
        ProfileErased erased = new ProfileErased(Samples.PROFILE, Samples.AT);

        CloudEvent<ProfileErased> event = CloudEvent.of(EventType.PROFILE_ERASED, "/profile-service",
                Samples.PROFILE, erased);

        assertThat(event.specversion()).isEqualTo("1.0");
        assertThat(event.type()).isEqualTo("omni.profile.erased");
        assertThat(event.eventType()).isEqualTo(EventType.PROFILE_ERASED);
        assertThat(event.key()).isEqualTo(Samples.PROFILE);
        assertThat(event.datacontenttype()).isEqualTo("application/json");
        assertThat(event.time()).isCloseTo(Instant.now(), within(java.time.Duration.ofSeconds(5)));
        assertThat(event.data()).isSameAs(erased);
    }

    @Test
    void ofGivesEachEventItsOwnId() {
        ProfileErased erased = new ProfileErased(Samples.PROFILE, Samples.AT);

        assertThat(CloudEvent.of(EventType.PROFILE_ERASED, "/profile-service", Samples.PROFILE, erased).id())
                .isNotEqualTo(CloudEvent.of(EventType.PROFILE_ERASED, "/profile-service", Samples.PROFILE, erased)
                        .id());
    }

    @Test
    void ofRejectsAPayloadOfAnotherType() {
        ProfileErased erased = new ProfileErased(Samples.PROFILE, Samples.AT);

        assertThatThrownBy(() -> CloudEvent.of(EventType.PROFILE_MERGED, "/profile-service", Samples.PROFILE, erased))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("omni.profile.merged carries ProfileMerged, not ProfileErased");
    }

    @Test
    void typesSharingAPayloadAcceptIt() {
        SegmentMembershipChanged change = new SegmentMembershipChanged(Samples.PROFILE, "seg_vip", "VIP", Samples.AT);

        assertThat(CloudEvent.of(EventType.SEGMENT_ENTERED, "/profile-service", Samples.PROFILE, change).type())
                .isEqualTo("omni.profile.segment-entered");
        assertThat(CloudEvent.of(EventType.SEGMENT_EXITED, "/profile-service", Samples.PROFILE, change).type())
                .isEqualTo("omni.profile.segment-exited");
    }

    @Test
    void ofRejectsMissingData() {
        assertThatThrownBy(() -> CloudEvent.of(EventType.PROFILE_ERASED, "/profile-service", Samples.PROFILE, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("data");
    }

    @Test
    void deadLetterTopicIsTheTopicWithDlqSuffix() {
        assertThat(Topics.deadLetter(Topics.PROFILES)).isEqualTo("omni.profiles.dlq");
    }
}
