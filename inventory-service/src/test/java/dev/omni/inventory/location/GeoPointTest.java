package dev.omni.inventory.location;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GeoPointTest {

    static final GeoPoint BERLIN_MITTE = new GeoPoint(52.5246, 13.4020);
    static final GeoPoint MUNICH_MARIENPLATZ = new GeoPoint(48.1372, 11.5756);

    @Test
    void distanceIsTheGreatCircle() {
        assertThat(BERLIN_MITTE.distanceKm(MUNICH_MARIENPLATZ)).isCloseTo(504.5, within(1.0));
        assertThat(BERLIN_MITTE.distanceKm(BERLIN_MITTE)).isZero();
    }

    @Test
    void boxContainsTheCircle() {
        GeoPoint.BoundingBox box = BERLIN_MITTE.box(10);
        assertThat(box.maxLatitude() - BERLIN_MITTE.latitude()).isCloseTo(0.0899, within(0.001));
        assertThat(new GeoPoint(box.maxLatitude(), BERLIN_MITTE.longitude()).distanceKm(BERLIN_MITTE))
                .isCloseTo(10, within(0.01));
        assertThat(new GeoPoint(BERLIN_MITTE.latitude(), box.maxLongitude()).distanceKm(BERLIN_MITTE))
                .isGreaterThanOrEqualTo(9.99);
        assertThat(box.wraps()).isFalse();
        assertThat(new GeoPoint(10, 179.99).box(50).wraps()).isTrue();
    }

    @Test
    void parsesLatitudeCommaLongitude() {
        assertThat(GeoPoint.parse("52.5246, 13.4020")).contains(BERLIN_MITTE);
        assertThat(GeoPoint.parse("52.5")).isEmpty();
        assertThat(GeoPoint.parse("north,east")).isEmpty();
        assertThat(GeoPoint.parse("91,13")).isEmpty();
        assertThat(GeoPoint.parse("52,181")).isEmpty();
        assertThat(GeoPoint.parse("NaN,1")).isEmpty();
        assertThat(GeoPoint.parse(null)).isEmpty();
    }
}
