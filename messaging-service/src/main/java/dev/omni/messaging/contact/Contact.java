package dev.omni.messaging.contact;

import dev.omni.contracts.Channel;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Where and how to reach one profile, as last published on {@code omni.profiles}. */
@Entity
@Table(name = "contact")
public class Contact extends PanacheEntityBase {

    @Id
    @Column(name = "profile_id")
    public UUID profileId;

    public String email;

    public String phone;

    @Column(name = "push_token")
    public String pushToken;

    public String locale;

    @Column(name = "time_zone")
    public String timeZone;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> traits;

    @Column(name = "erased_at")
    public Instant erasedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Contact empty(UUID profileId, Instant at) {
        Contact contact = new Contact();
        contact.profileId = profileId;
        contact.traits = new HashMap<>();
        contact.updatedAt = at;
        return contact;
    }

    /** The address a message on {@code channel} goes to; chat (WhatsApp) uses the phone number. */
    public Optional<String> address(Channel channel) {
        return Optional.ofNullable(switch (channel) {
            case EMAIL -> email;
            case SMS, CHAT -> phone;
            case PUSH -> pushToken;
            default -> null;
        });
    }

    public boolean erased() {
        return erasedAt != null;
    }

    /** What templates see as {@code profile}: the traits plus the contact points. */
    public Map<String, Object> templateView() {
        Map<String, Object> view = new HashMap<>(traits);
        view.put("id", profileId.toString());
        putIfPresent(view, "email", email);
        putIfPresent(view, "phone", phone);
        putIfPresent(view, "locale", locale);
        putIfPresent(view, "timeZone", timeZone);
        return view;
    }

    private static void putIfPresent(Map<String, Object> view, String key, String value) {
        if (value != null) {
            view.put(key, value);
        }
    }
}
