package dev.omni.gateway.route;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PathPatternTest {

    @Test
    void aParameterTakesExactlyOneSegment() {
        PathPattern pattern = PathPattern.of("/api/profiles/{profileId}");
        assertThat(pattern.match("/api/profiles/p-1")).hasValue(Map.of("profileId", "p-1"));
        assertThat(pattern.match("/api/profiles/p-1/")).hasValue(Map.of("profileId", "p-1"));
        assertThat(pattern.match("/api/profiles")).isEmpty();
        assertThat(pattern.match("/api/profiles/p-1/cart")).isEmpty();
        assertThat(pattern.match("/api/profiles//")).isEmpty();
    }

    @Test
    void aTailTakesNoneOrAnyFurtherSegments() {
        PathPattern pattern = PathPattern.of("/api/profiles/{profileId}/cart/**");
        assertThat(pattern.match("/api/profiles/p-1/cart")).hasValue(Map.of("profileId", "p-1"));
        assertThat(pattern.match("/api/profiles/p-1/cart/lines/3")).hasValue(Map.of("profileId", "p-1"));
        assertThat(pattern.match("/api/profiles/p-1/carts")).isEmpty();
        assertThat(pattern.match("/api/profiles/p-1")).isEmpty();
    }

    @Test
    void literalsMustMatchExactly() {
        assertThat(PathPattern.of("/api/me").match("/api/me")).isPresent();
        assertThat(PathPattern.of("/api/me").match("/api/meat")).isEmpty();
        assertThat(PathPattern.of("/api/me").match("/api/ME")).isEmpty();
    }

    @Test
    void theCustomersPathsAreRewrittenToTheirProfile() {
        Route cart = RouteTable.OMNI.match("PUT", "/api/me/cart/lines").orElseThrow().route();
        assertThat(cart.upstreamPath("/api/me/cart/lines", "p-7")).isEqualTo("/api/profiles/p-7/cart/lines");
        Route skus = RouteTable.OMNI.match("GET", "/api/skus/S-1").orElseThrow().route();
        assertThat(skus.upstreamPath("/api/skus/S-1", "p-7")).isEqualTo("/api/skus/S-1");
    }
}
