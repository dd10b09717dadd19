package dev.omni.messaging.template;

/** A template rendered for one recipient; {@code html} only for email. */
public record Rendered(String subject, String text, String html) {
}
