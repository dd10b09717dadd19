package dev.omni.inventory.reservation;

import dev.omni.inventory.Ids;
import dev.omni.platform.problem.Problems;
import dev.omni.platform.problem.Violation;

import java.util.ArrayList;
import java.util.List;

/**
 * Which reservations {@code GET /api/reservations} lists: a customer's ({@code profileId}), those at risk
 * ({@code status=at_risk}), or a customer's at risk; optionally only those with a line at {@code locationId}.
 */
public record ReservationQuery(String profileId, boolean atRisk, String locationId, int limit) {

    public static final String AT_RISK = "at_risk";
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    /** The query parameters as given; every bad one is named in the 400. */
    public static ReservationQuery parse(String profileId, String status, String locationId, String limit) {
        List<Violation> violations = new ArrayList<>();
        boolean noProfile = profileId == null;
        boolean noStatus = status == null;
        if (profileId != null && profileId.isBlank()) {
            violations.add(Violation.query("profileId", "must not be blank"));
        }
        if (noProfile && noStatus) {
            violations.add(Violation.query("profileId", "profileId or status is required"));
            violations.add(Violation.query("status", "profileId or status is required"));
        }
        if (!noStatus && !AT_RISK.equals(status)) {
            violations.add(Violation.query("status", "must be " + AT_RISK));
        }
        if (locationId != null && !Ids.valid(locationId)) {
            violations.add(Violation.query("locationId", Ids.MESSAGE));
        }
        int max = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                max = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > MAX_LIMIT) {
                violations.add(Violation.query("limit", "a whole number from 1 to " + MAX_LIMIT));
            }
        }
        if (!violations.isEmpty()) {
            throw Problems.badRequest(violations.get(0).field() + ": " + violations.get(0).message(), violations);
        }
        return new ReservationQuery(noProfile ? null : profileId, !noStatus, locationId, max);
    }
}
