package dev.omni.contracts.profile;

/** A normalised identifier of a profile: {@code type} is one of anonymousId, userId, email, phone, loyaltyId, pushToken, posCard. */
public record Identifier(String type, String value) {
}
