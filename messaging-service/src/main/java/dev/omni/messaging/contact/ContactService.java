package dev.omni.messaging.contact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.contracts.Channel;
import dev.omni.contracts.profile.ConsentChanged;
import dev.omni.contracts.profile.Identifier;
import dev.omni.platform.sql.NativeSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.omni.platform.sql.NativeSql.instant;

/** Keeps contact points, traits and consents per profile from what profile-service publishes. */
@ApplicationScoped
public class ContactService {

    private static final String UPSERT_CONSENT = """
            INSERT INTO consent (profile_id, channel, purpose, status, changed_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (profile_id, channel, purpose) DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at
            WHERE consent.changed_at <= excluded.changed_at""";

    private static final String LOCK_ALL = """
            SELECT profile_id, email, phone, push_token, locale, time_zone, traits::text, erased_at, updated_at
            FROM contact WHERE profile_id = ANY(?1) ORDER BY profile_id FOR UPDATE""";

    private static final String CONSENTS_OF = """
            SELECT profile_id, channel, purpose, status, changed_at FROM consent WHERE profile_id = ANY(?1)""";

    private static final Set<String> CONTACT_POINTS = Set.of("email", "phone", "pushToken");

    private static final TypeReference<Map<String, Object>> TRAITS = new TypeReference<>() {
    };

    private final NativeSql sql;
    private final ObjectMapper mapper;

    public ContactService(NativeSql sql, ObjectMapper mapper) {
        this.sql = sql;
        this.mapper = mapper;
    }

    public Uni<Contact> find(UUID profileId) {
        return Contact.findById(profileId);
    }

    /**
     * The contact row locked for this transaction: sends to one profile are decided one at a time. A native query,
     * since Hibernate Reactive's lock upgrade of an entity already in the session names properties, not columns.
     */
    public Uni<Contact> lock(UUID profileId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT * FROM contact WHERE profile_id = ?1 FOR UPDATE", Contact.class)
                .setParameter(1, profileId)
                .getSingleResultOrNull());
    }

    /**
     * The contact rows of many profiles locked for this transaction in one statement, in profile order, so two
     * batches sharing profiles wait for each other instead of deadlocking. Profiles without a row are absent.
     * <p>
     * The contacts are read as values, not entities: the batch send reads them and changes nothing, and through
     * Hibernate a batch of 100 profiles cost an expanded {@code IN} list without a cached plan, a hundred entities
     * hydrated into the session and dirty-checked at its flush.
     */
    public Uni<Map<UUID, Contact>> lockAll(Collection<UUID> profileIds) {
        if (profileIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return sql.rows(LOCK_ALL, (Object) profileIds.toArray(UUID[]::new)).map(rows -> {
            Map<UUID, Contact> byId = new HashMap<>();
            for (Object[] row : rows) {
                Contact contact = new Contact();
                contact.profileId = (UUID) row[0];
                contact.email = (String) row[1];
                contact.phone = (String) row[2];
                contact.pushToken = (String) row[3];
                contact.locale = (String) row[4];
                contact.timeZone = (String) row[5];
                contact.traits = traits((String) row[6]);
                contact.erasedAt = instant(row[7]);
                contact.updatedAt = instant(row[8]);
                byId.put(contact.profileId, contact);
            }
            return byId;
        });
    }

    /** The consents of many profiles in one statement, as values (see {@link #lockAll}); a profile without any is absent. */
    public Uni<Map<UUID, List<Consent>>> consentsOf(Collection<UUID> profileIds) {
        if (profileIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return sql.rows(CONSENTS_OF, (Object) profileIds.toArray(UUID[]::new)).map(rows -> {
            Map<UUID, List<Consent>> byProfile = new HashMap<>();
            for (Object[] row : rows) {
                Consent consent = new Consent();
                consent.profileId = (UUID) row[0];
                consent.channel = (String) row[1];
                consent.purpose = (String) row[2];
                consent.status = (String) row[3];
                consent.changedAt = instant(row[4]);
                byProfile.computeIfAbsent(consent.profileId, p -> new ArrayList<>()).add(consent);
            }
            return byProfile;
        });
    }

    private Map<String, Object> traits(String text) {
        try {
            return text == null ? new HashMap<>() : mapper.readValue(text, TRAITS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("contact traits are not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    /** Replaces contact points (and traits, when given) with the profile's current set. */
    public Uni<Void> identified(UUID profileId, Collection<Identifier> identifiers, Map<String, Object> traits,
            Instant at) {
        return lock(profileId).chain(existing -> {
            if (existing != null && existing.erased()) {
                return Uni.createFrom().voidItem();
            }
            Contact contact = existing != null ? existing : Contact.empty(profileId, at);
            contact.email = last(identifiers, "email", Channel.EMAIL);
            contact.phone = last(identifiers, "phone", Channel.SMS);
            contact.pushToken = last(identifiers, "pushToken", Channel.PUSH);
            if (traits != null) {
                contact.traits = new HashMap<>(traits);
                contact.locale = locale(traits);
                contact.timeZone = timeZone(traits);
            }
            contact.updatedAt = at;
            return existing != null ? Uni.createFrom().voidItem() : contact.persist().replaceWithVoid();
        });
    }

    /** The survivor gains the absorbed profile's contact points and consents where it has none. */
    public Uni<Void> merged(UUID survivorId, UUID absorbedId, List<Identifier> absorbedIdentifiers, Instant at) {
        return lock(survivorId).chain(survivor -> {
            Contact contact = survivor != null ? survivor : Contact.empty(survivorId, at);
            if (contact.erased()) {
                return Uni.createFrom().voidItem();
            }
            contact.email = contact.email != null ? contact.email : last(absorbedIdentifiers, "email", Channel.EMAIL);
            contact.phone = contact.phone != null ? contact.phone : last(absorbedIdentifiers, "phone", Channel.SMS);
            contact.pushToken = contact.pushToken != null ? contact.pushToken
                    : last(absorbedIdentifiers, "pushToken", Channel.PUSH);
            contact.updatedAt = at;
            Uni<?> saved = survivor != null ? Uni.createFrom().voidItem() : contact.persist();
            return saved
                    .chain(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                            INSERT INTO consent (profile_id, channel, purpose, status, changed_at)
                            SELECT ?1, channel, purpose, status, changed_at FROM consent WHERE profile_id = ?2
                            ON CONFLICT DO NOTHING""").setParameter(1, survivorId).setParameter(2, absorbedId)
                            .executeUpdate()))
                    .chain(() -> Consent.delete("profileId", absorbedId))
                    .chain(() -> Contact.delete("profileId", absorbedId))
                    .replaceWithVoid();
        });
    }

    /** The restored profile gets its identifiers back; the survivor stops using them. */
    public Uni<Void> unmerged(UUID survivorId, UUID restoredId, List<Identifier> restored, Instant at) {
        return identified(restoredId, restored, null, at)
                .chain(() -> lock(survivorId))
                .invoke(survivor -> {
                    if (survivor == null) {
                        return;
                    }
                    if (survivor.email != null && survivor.email.equals(last(restored, "email", Channel.EMAIL))) {
                        survivor.email = null;
                    }
                    if (survivor.phone != null && survivor.phone.equals(last(restored, "phone", Channel.SMS))) {
                        survivor.phone = null;
                    }
                    if (survivor.pushToken != null
                            && survivor.pushToken.equals(last(restored, "pushToken", Channel.PUSH))) {
                        survivor.pushToken = null;
                    }
                    survivor.updatedAt = at;
                })
                .replaceWithVoid();
    }

    public Uni<Void> consentChanged(UUID profileId, ConsentChanged consent) {
        return Panache.getSession().chain(session -> session.createNativeQuery(UPSERT_CONSENT)
                        .setParameter(1, profileId)
                        .setParameter(2, consent.channel().toLowerCase(Locale.ROOT))
                        .setParameter(3, consent.purpose().toLowerCase(Locale.ROOT))
                        .setParameter(4, consent.status().toLowerCase(Locale.ROOT))
                        .setParameter(5, consent.changedAt())
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** Drops every contact point, trait and consent; the tombstone keeps later events from re-creating them. */
    public Uni<Void> erase(UUID profileId, Instant at) {
        return lock(profileId).chain(existing -> {
            Contact contact = existing != null ? existing : Contact.empty(profileId, at);
            contact.email = null;
            contact.phone = null;
            contact.pushToken = null;
            contact.locale = null;
            contact.timeZone = null;
            contact.traits = new HashMap<>();
            contact.erasedAt = at;
            contact.updatedAt = at;
            Uni<?> saved = existing != null ? Uni.createFrom().voidItem() : contact.persist();
            return saved.chain(() -> Consent.delete("profileId", profileId)).replaceWithVoid();
        });
    }

    public Uni<List<Consent>> consents(UUID profileId) {
        return Consent.list("profileId = ?1 order by channel, purpose", profileId);
    }

    /** Whether any of the identifiers is one {@link #identified} keeps (an email, a phone or a push token). */
    public static boolean hasContactPoint(Collection<Identifier> identifiers) {
        return identifiers != null && identifiers.stream().anyMatch(identifier -> identifier.value() != null
                && CONTACT_POINTS.contains(identifier.type()));
    }

    private static String last(Collection<Identifier> identifiers, String type, Channel channel) {
        String found = null;
        for (Identifier identifier : identifiers == null ? List.<Identifier>of() : identifiers) {
            if (type.equals(identifier.type()) && identifier.value() != null) {
                try {
                    found = ContactPoints.normalise(channel, identifier.value());
                } catch (IllegalArgumentException ignored) {
                    // an address we cannot send to is no contact point
                }
            }
        }
        return found;
    }

    private static String locale(Map<String, Object> traits) {
        Object value = traits.getOrDefault("locale", traits.get("language"));
        return value instanceof String s && !s.isBlank() ? s.replace('_', '-') : null;
    }

    private static String timeZone(Map<String, Object> traits) {
        Object value = traits.getOrDefault("timeZone", traits.get("timezone"));
        if (value instanceof String zone) {
            try {
                return ZoneId.of(zone).getId();
            } catch (RuntimeException ignored) {
                // an unknown zone falls back to the default zone at send time
            }
        }
        return null;
    }
}
