package dev.omni.profile.segment;

import dev.omni.profile.segment.SegmentDefinition.Condition;
import dev.omni.profile.segment.SegmentDefinition.InteractionCondition;
import dev.omni.profile.segment.SegmentDefinition.LocationCondition;
import dev.omni.profile.segment.SegmentDefinition.Match;
import dev.omni.profile.segment.SegmentDefinition.TraitCondition;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Whether a customer (a survivor and its merged profiles) meets a definition. Trait and location conditions are
 * checked first; interactions are counted in the database only when they can still change the answer.
 */
@ApplicationScoped
class SegmentEvaluator {

    private static final double EARTH_RADIUS_KM = 6371.0088;

    Uni<Boolean> matches(SegmentDefinition definition, UUID survivorId, Map<String, Object> traits, Instant now) {
        boolean all = definition.match() == Match.ALL;
        List<Condition> counted = definition.conditions().stream()
                .filter(c -> c instanceof InteractionCondition).toList();
        for (Condition condition : definition.conditions()) {
            if (condition instanceof InteractionCondition) {
                continue;
            }
            boolean holds = holds(condition, traits);
            if (holds != all) {
                return Uni.createFrom().item(holds);
            }
        }
        return counted(counted, 0, all, survivorId, now);
    }

    /**
     * The only customers (survivors, not erased) who can meet the definition, in profile id order, when its
     * interaction conditions narrow them down: under ALL, those with an interaction that a condition not met by zero
     * interactions needs; under ANY made only of such conditions, those with an interaction any of them needs. Empty
     * when anyone might match. It only leaves out customers who cannot match: {@link #matches} still decides.
     */
    Uni<Optional<List<UUID>>> candidates(SegmentDefinition definition, Instant now) {
        List<InteractionCondition> needed = definition.conditions().stream()
                .filter(c -> c instanceof InteractionCondition i && !i.holds(0))
                .map(c -> (InteractionCondition) c).toList();
        if (needed.isEmpty() || definition.match() == Match.ANY && needed.size() < definition.conditions().size()) {
            return Uni.createFrom().item(Optional.empty());
        }
        List<InteractionCondition> any = definition.match() == Match.ALL ? needed.subList(0, 1) : needed;
        StringBuilder query = new StringBuilder("select distinct p.survivorId from TimelineEntry t, Profile p, "
                + "Profile s where p.id = t.profileId and s.id = p.survivorId and s.erasedAt is null and (");
        for (int i = 0; i < any.size(); i++) {
            query.append(i == 0 ? "" : " or ").append("(t.name = :event").append(i);
            if (any.get(i).channel() != null) {
                query.append(" and t.channel = :channel").append(i);
            }
            if (any.get(i).within() != null) {
                query.append(" and t.occurredAt >= :since").append(i);
            }
            query.append(')');
        }
        query.append(") order by p.survivorId");
        return Panache.getSession().chain(session -> {
            var select = session.createSelectionQuery(query.toString(), UUID.class);
            for (int i = 0; i < any.size(); i++) {
                InteractionCondition condition = any.get(i);
                select.setParameter("event" + i, condition.event());
                if (condition.channel() != null) {
                    select.setParameter("channel" + i, condition.channel());
                }
                if (condition.within() != null) {
                    select.setParameter("since" + i, now.minus(condition.within()));
                }
            }
            return select.getResultList();
        }).map(Optional::of);
    }

    /** ALL: true until one fails; ANY: false until one holds. */
    private Uni<Boolean> counted(List<Condition> conditions, int index, boolean all, UUID survivorId, Instant now) {
        if (index == conditions.size()) {
            return Uni.createFrom().item(all);
        }
        InteractionCondition condition = (InteractionCondition) conditions.get(index);
        return count(condition, survivorId, now).chain(n -> condition.holds(n) != all
                ? Uni.createFrom().item(!all)
                : counted(conditions, index + 1, all, survivorId, now));
    }

    private static boolean holds(Condition condition, Map<String, Object> traits) {
        if (condition instanceof TraitCondition t) {
            return TraitValues.holds(TraitValues.at(traits, t.trait()), t.op(), t.value());
        }
        if (condition instanceof LocationCondition l) {
            return located(l, traits);
        }
        throw new IllegalArgumentException("counted, not checked: " + condition);
    }

    private static boolean located(LocationCondition condition, Map<String, Object> traits) {
        if (condition.country() != null && !(traits.get("country") instanceof String country
                && country.equalsIgnoreCase(condition.country()))) {
            return false;
        }
        if (condition.city() != null && !(traits.get("city") instanceof String city
                && city.trim().toLowerCase(Locale.ROOT).equals(condition.city().trim().toLowerCase(Locale.ROOT)))) {
            return false;
        }
        if (condition.near() != null) {
            if (!(traits.get("latitude") instanceof Number lat) || !(traits.get("longitude") instanceof Number lon)) {
                return false;
            }
            return distanceKm(lat.doubleValue(), lon.doubleValue(), condition.near().latitude(),
                    condition.near().longitude()) <= condition.near().radiusKm();
        }
        return true;
    }

    /** Haversine distance. */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(a));
    }

    private static Uni<Long> count(InteractionCondition condition, UUID survivorId, Instant now) {
        StringBuilder query = new StringBuilder("select count(t) from TimelineEntry t where t.profileId in "
                + "(select p.id from Profile p where p.survivorId = :profile) and t.name = :event");
        if (condition.channel() != null) {
            query.append(" and t.channel = :channel");
        }
        if (condition.within() != null) {
            query.append(" and t.occurredAt >= :since");
        }
        return Panache.getSession().chain(session -> {
            var select = session.createSelectionQuery(query.toString(), Long.class)
                    .setParameter("profile", survivorId)
                    .setParameter("event", condition.event());
            if (condition.channel() != null) {
                select.setParameter("channel", condition.channel());
            }
            if (condition.within() != null) {
                select.setParameter("since", now.minus(condition.within()));
            }
            return select.getSingleResult();
        });
    }
}
