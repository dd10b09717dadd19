package dev.omni.messaging.template;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One variant of a template: Qute sources for a channel and locale. */
@Entity
@Table(name = "message_template")
@IdClass(MessageTemplate.Key.class)
public class MessageTemplate extends PanacheEntityBase {

    @Id
    @Column(name = "template_id")
    public String templateId;

    @Id
    public String channel;

    @Id
    public String locale;

    /** Email subject or push title. */
    public String subject;

    /** Email text part, SMS/chat body, push body. */
    @Column(name = "body_text", nullable = false)
    public String text;

    /** Email HTML part. */
    @Column(name = "body_html")
    public String html;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static class Key implements Serializable {
        public String templateId;
        public String channel;
        public String locale;

        public Key() {
        }

        public Key(String templateId, String channel, String locale) {
            this.templateId = templateId;
            this.channel = channel;
            this.locale = locale;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(templateId, key.templateId)
                    && Objects.equals(channel, key.channel) && Objects.equals(locale, key.locale);
        }

        @Override
        public int hashCode() {
            return Objects.hash(templateId, channel, locale);
        }
    }
}
