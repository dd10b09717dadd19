package dev.omni.messaging.template;

/** A template variant as saved: Qute sources. */
public record TemplateInput(String subject, String text, String html) {
}
