package dev.omni.inventory.location;

import dev.omni.inventory.Failures;
import dev.omni.inventory.availability.AvailabilityPublisher;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class LocationService {

    private final AvailabilityPublisher availability;

    public LocationService(AvailabilityPublisher availability) {
        this.availability = availability;
    }

    /** @throws io.quarkiverse.resteasy.problem.HttpProblem 409 when the id is taken */
    public Uni<Location> create(LocationRequest request) {
        if (request.id() == null) {
            throw Problems.badRequest(Violation.body("id", "must not be null"));
        }
        Location location = new Location();
        location.id = request.id();
        location.createdAt = Instant.now();
        apply(location, request);
        return Panache.withTransaction(() -> Location.<Location>findById(location.id)
                        .chain(existing -> existing != null ? Uni.createFrom().failure(exists(location.id))
                                : location.persistAndFlush().replaceWith(location)))
                .onFailure(Failures::isUniqueViolation).transform(e -> exists(location.id));
    }

    /** Replaces a location's attributes; if it starts or stops fulfilling online, the online totals move. */
    @WithTransaction
    public Uni<Location> update(String id, LocationRequest request) {
        if (request.id() != null && !request.id().equals(id)) {
            throw Problems.badRequest(Violation.body("id", "must be the id of the path, " + id));
        }
        return find(id).chain(location -> {
            boolean wasOnline = location.fulfilsOnline;
            apply(location, request);
            return wasOnline == location.fulfilsOnline ? Uni.createFrom().item(location)
                    : availability.onlineMembershipChanged(location.id, location.fulfilsOnline).replaceWith(location);
        });
    }

    @WithSession
    public Uni<Location> find(String id) {
        return Location.<Location>findById(id)
                .onItem().ifNull().failWith(() -> Problems.notFound("no location " + id));
    }

    @WithSession
    public Uni<List<Location>> list(LocationType type) {
        return type == null ? Location.list("order by id") : Location.list("type = ?1 order by id", type);
    }

    private static void apply(Location location, LocationRequest request) {
        List<Violation> violations = new ArrayList<>();
        try {
            ZoneId.of(request.timeZone());
        } catch (DateTimeException e) {
            violations.add(Violation.body("timeZone", "not a time zone id such as Europe/Berlin"));
        }
        Map<String, String> hours = null;
        try {
            hours = OpeningHours.compact(request.openingHours());
        } catch (IllegalArgumentException e) {
            violations.add(Violation.body("openingHours", e.getMessage()));
        }
        if (!violations.isEmpty()) {
            throw Problems.badRequest("the location is not valid", violations);
        }
        location.name = request.name();
        location.type = LocationType.valueOf(request.type());
        location.latitude = request.latitude();
        location.longitude = request.longitude();
        location.timeZone = request.timeZone();
        location.pickupEnabled = Boolean.TRUE.equals(request.pickupEnabled());
        location.fulfilsOnline = Boolean.TRUE.equals(request.fulfilsOnline());
        location.openingHours = hours;
        location.updatedAt = Instant.now();
    }

    private static RuntimeException exists(String id) {
        return Problems.conflict("location " + id + " already exists");
    }
}
