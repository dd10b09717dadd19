package dev.omni.gateway.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * profile-service's {@code POST /api/events} as a recording stub that answers in its contract (202 and an
 * {@code IngestReport}). What the Segment API forwards is read back from it; that profile-service ingests exactly
 * such events is proven in profile-service by {@code SegmentMappedEventsTest} with the same fixture.
 */
final class ProfileEventsStub {

    static final ObjectMapper JSON = new ObjectMapper();

    private ProfileEventsStub() {
    }

    static void accepting(WireMockServer profile) {
        profile.stubFor(post(urlPathEqualTo("/api/events")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"accepted\":1,\"duplicates\":0,\"rejected\":0,\"results\":[]}")));
    }

    static List<LoggedRequest> requests(WireMockServer profile) {
        return profile.findAll(postRequestedFor(urlPathEqualTo("/api/events")));
    }

    /** Every event forwarded so far, in the order they were sent. */
    static List<JsonNode> events(WireMockServer profile) {
        List<JsonNode> events = new ArrayList<>();
        for (LoggedRequest request : requests(profile)) {
            try {
                JSON.readTree(request.getBodyAsString()).forEach(events::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return events;
    }
}
