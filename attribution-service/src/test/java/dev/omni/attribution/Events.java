package dev.omni.attribution;

import dev.omni.contracts.Channel;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.EventType;
import dev.omni.contracts.interaction.InteractionRecorded;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.contracts.profile.ProfileErased;
import dev.omni.contracts.profile.ProfileMerged;
import dev.omni.contracts.profile.ProfileUnmerged;
import dev.omni.contracts.profile.SegmentMembershipChanged;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test events as the other services publish them, and a way to put them on the broker. */
public final class Events {

    private Events() {
    }

    public static String newProfile() {
        return UUID.randomUUID().toString();
    }

    public static CloudEvent<InteractionRecorded> visit(String profileId, Channel channel, Instant at,
            Map<String, Object> properties) {
        return interaction(profileId, channel, "page", "page", at, properties, null, null);
    }

    public static CloudEvent<InteractionRecorded> order(String profileId, Channel channel, Instant at, String value) {
        return interaction(profileId, channel, "track", "order_completed", at, Map.of(), new BigDecimal(value), null);
    }

    public static CloudEvent<InteractionRecorded> interaction(String profileId, Channel channel, String kind,
            String event, Instant at, Map<String, Object> properties, BigDecimal value, String campaign) {
        return CloudEvent.of(EventType.INTERACTION_RECORDED, "/profile-service", profileId,
                new InteractionRecorded(profileId, UUID.randomUUID().toString(), kind, event, channel, at, properties,
                        value, value == null ? null : "EUR", campaign));
    }

    public static CloudEvent<MessageStatusChanged> message(EventType status, String profileId, Channel channel,
            String campaign, Instant at) {
        String messageId = "msg-" + UUID.randomUUID();
        return CloudEvent.of(status, "/messaging-service", messageId, new MessageStatusChanged(messageId, profileId,
                channel, "template-1", "journey-1", campaign, "smtp", null, null, at));
    }

    public static CloudEvent<ProfileMerged> merged(String survivor, String absorbed) {
        return CloudEvent.of(EventType.PROFILE_MERGED, "/profile-service", survivor,
                new ProfileMerged("merge-" + UUID.randomUUID(), survivor, absorbed, List.of(), "shared email",
                        Instant.now()));
    }

    public static CloudEvent<ProfileUnmerged> unmerged(ProfileMerged merge) {
        return CloudEvent.of(EventType.PROFILE_UNMERGED, "/profile-service", merge.survivorProfileId(),
                new ProfileUnmerged(merge.mergeId(), merge.survivorProfileId(), merge.absorbedProfileId(), List.of(),
                        Instant.now()));
    }

    public static CloudEvent<ProfileErased> erased(String profileId) {
        return CloudEvent.of(EventType.PROFILE_ERASED, "/profile-service", profileId,
                new ProfileErased(profileId, Instant.now()));
    }

    public static CloudEvent<SegmentMembershipChanged> segmentEntered(String profileId, String segmentId) {
        return CloudEvent.of(EventType.SEGMENT_ENTERED, "/profile-service", profileId,
                new SegmentMembershipChanged(profileId, segmentId, segmentId, Instant.now()));
    }

    /** Sends the events, each keyed by its subject on its type's topic, and waits for the broker's acks. */
    public static void produce(KafkaCompanion kafka, CloudEvent<?>... events) {
        kafka.produceStrings().fromRecords(Arrays.stream(events)
                .map(e -> new ProducerRecord<>(e.eventType().topic(), e.key(), EventCodec.encode(e)))
                .toList()).awaitCompletion();
    }
}
