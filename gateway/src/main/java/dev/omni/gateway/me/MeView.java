package dev.omni.gateway.me;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The customer's 360, each part as the owning service sent it ({@code null} when the service has none).
 *
 * @param unavailable parts whose service failed or was too slow; the other parts are still right
 */
public record MeView(String profileId, JsonNode profile, JsonNode cart, JsonNode favourites, JsonNode loyalty,
        JsonNode consents, JsonNode reservations, List<String> unavailable) {
}
