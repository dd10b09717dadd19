package dev.omni.inventory.location;

import java.util.Optional;

/** A point on Earth in decimal degrees (WGS 84). */
public record GeoPoint(double latitude, double longitude) {

    private static final double EARTH_RADIUS_KM = 6371.0088;

    public GeoPoint {
        if (!valid(latitude, longitude)) {
            throw new IllegalArgumentException("latitude must be within ±90 and longitude within ±180");
        }
    }

    public static boolean valid(double latitude, double longitude) {
        return Double.isFinite(latitude) && Double.isFinite(longitude)
                && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
    }

    /** Reads {@code "52.52,13.40"}; empty when it is not two numbers inside the valid ranges. */
    public static Optional<GeoPoint> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            double latitude = Double.parseDouble(parts[0].trim());
            double longitude = Double.parseDouble(parts[1].trim());
            return valid(latitude, longitude) ? Optional.of(new GeoPoint(latitude, longitude)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Great-circle distance (haversine). */
    public double distanceKm(GeoPoint other) {
        double dLat = Math.toRadians(other.latitude - latitude);
        double dLng = Math.toRadians(other.longitude - longitude);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(latitude)) * Math.cos(Math.toRadians(other.latitude))
                * Math.pow(Math.sin(dLng / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** The latitude/longitude box that contains every point within {@code radiusKm}, for an index scan. */
    public BoundingBox box(double radiusKm) {
        double dLat = Math.toDegrees(radiusKm / EARTH_RADIUS_KM);
        double cos = Math.cos(Math.toRadians(latitude));
        double dLng = cos < 1e-6 ? 180 : Math.min(180, Math.toDegrees(radiusKm / (EARTH_RADIUS_KM * cos)));
        return new BoundingBox(Math.max(-90, latitude - dLat), Math.min(90, latitude + dLat),
                longitude - dLng, longitude + dLng);
    }

    /** Longitudes may run past ±180 near the antimeridian or a pole; then only the latitudes narrow the search. */
    public record BoundingBox(double minLatitude, double maxLatitude, double minLongitude, double maxLongitude) {

        public boolean wraps() {
            return minLongitude < -180 || maxLongitude > 180 || maxLongitude - minLongitude >= 360;
        }
    }
}
