package dev.omni.messaging.template;

import java.time.Instant;

public record TemplateView(String id, String channel, String locale, String subject, String text, String html,
        Instant updatedAt) {

    static TemplateView of(MessageTemplate template) {
        return new TemplateView(template.templateId, template.channel, template.locale, template.subject,
                template.text, template.html, template.updatedAt);
    }
}
