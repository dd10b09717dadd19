package dev.omni.messaging.provider;

import dev.omni.contracts.Channel;

import java.util.UUID;

/** What a provider sends: a rendered message and its address. */
public record Outbound(UUID messageId, Channel channel, String recipient, String subject, String text, String html) {
}
