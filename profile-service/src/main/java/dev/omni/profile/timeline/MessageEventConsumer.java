package dev.omni.profile.timeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.omni.contracts.CloudEvent;
import dev.omni.contracts.EventCodec;
import dev.omni.contracts.TimeOrderedIds;
import dev.omni.contracts.Topics;
import dev.omni.contracts.message.MessageStatusChanged;
import dev.omni.platform.inbox.Inbox;
import dev.omni.platform.sql.NativeSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Messages sent to a customer show on their timeline, so the next agent knows what the brand already said. A poll
 * is one inbox transaction (each message is two events or more: queued, sent, opened, ...) and one statement
 * writing all its entries.
 */
@ApplicationScoped
public class MessageEventConsumer {

    static final String CONSUMER = "profile-timeline";
    /** A poll's entries in one statement; an entry of an unknown or erased profile is left out. */
    private static final String INSERT = """
            INSERT INTO timeline_entry (id, profile_id, channel, kind, name, occurred_at, details)
            SELECT t.id, t.profile_id, t.channel, 'message', t.name, t.occurred_at, t.details::jsonb
            FROM unnest(?1::uuid[], ?2::uuid[], ?3::text[], ?4::text[], ?5::timestamptz[], ?6::text[])
                WITH ORDINALITY AS t(id, profile_id, channel, name, occurred_at, details, n)
            JOIN profile p ON p.id = t.profile_id AND p.erased_at IS NULL
            ORDER BY t.n""";

    private final Inbox inbox;
    private final NativeSql sql;

    public MessageEventConsumer(Inbox inbox, NativeSql sql) {
        this.inbox = inbox;
        this.sql = sql;
    }

    @Incoming(Topics.MESSAGE_EVENTS)
    public Uni<Void> onMessageEvents(ConsumerRecords<String, String> records) {
        return inbox.consumeAll(CONSUMER, records, this::entry, this::insert);
    }

    /** The timeline entry of a message event, or null. */
    private Uni<Entry> entry(CloudEvent<?> event) {
        if (!(event.data() instanceof MessageStatusChanged message) || message.profileId() == null
                || message.channel() == null) {
            return Uni.createFrom().nullItem();
        }
        UUID profileId;
        try {
            profileId = UUID.fromString(message.profileId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().nullItem();
        }
        Map<String, Object> details = new HashMap<>();
        details.put("messageId", message.messageId());
        if (message.templateId() != null) {
            details.put("templateId", message.templateId());
        }
        if (message.reason() != null) {
            details.put("reason", message.reason());
        }
        String json;
        try {
            json = EventCodec.mapper().writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Uni.createFrom().item(new Entry(TimeOrderedIds.next(), profileId, message.channel().wire(), event.type(),
                message.at() != null ? message.at() : event.time(), json));
    }

    private Uni<Void> insert(List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sql.write(INSERT,
                        NativeSql.column(entries, Entry::id, UUID[]::new),
                        NativeSql.column(entries, Entry::profileId, UUID[]::new),
                        NativeSql.column(entries, Entry::channel, String[]::new),
                        NativeSql.column(entries, Entry::name, String[]::new),
                        NativeSql.column(entries, Entry::occurredAt, Instant[]::new),
                        NativeSql.column(entries, Entry::details, String[]::new))
                .replaceWithVoid();
    }

    private record Entry(UUID id, UUID profileId, String channel, String name, Instant occurredAt, String details) {
    }
}
