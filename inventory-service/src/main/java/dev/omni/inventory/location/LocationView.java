package dev.omni.inventory.location;

import java.util.Map;

public record LocationView(String id, String name, LocationType type, double latitude, double longitude,
        String timeZone, boolean pickupEnabled, boolean fulfilsOnline, Map<String, String> openingHours) {

    public static LocationView of(Location location) {
        return new LocationView(location.id, location.name, location.type, location.latitude, location.longitude,
                location.timeZone, location.pickupEnabled, location.fulfilsOnline,
                OpeningHours.normalise(location.openingHours));
    }
}
