package dev.omni.messaging.provider;

/** A message a provider accepted: which provider, and its id for the message. */
public record Delivery(String provider, String providerMessageId) {
}
