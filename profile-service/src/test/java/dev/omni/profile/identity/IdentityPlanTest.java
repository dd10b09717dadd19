package dev.omni.profile.identity;

import dev.omni.profile.identity.IdentityPlan.Decision;
import dev.omni.profile.identity.IdentityPlan.Facts;
import dev.omni.profile.identity.ProfileIdentifier.Key;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The identity rules of DESIGN.md, decided without a database. */
class IdentityPlanTest {

    private static final Instant MONDAY = Instant.parse("2025-03-10T09:00:00Z");
    private static final Instant TUESDAY = Instant.parse("2025-03-11T09:00:00Z");

    private final IdentityRules rules = new IdentityRules(config(Map.of("userId", 1, "email", 2)));
    private final IdentityPlan plan = new IdentityPlan(rules);

    private final UUID web = UUID.randomUUID();
    private final UUID app = UUID.randomUUID();

    @Test
    void unknownIdentifiersCreateAProfile() {
        Decision decision = plan.decide(List.of(anon("a-1"), user("u-1")), facts(Map.of()));

        assertThat(decision.createsProfile()).isTrue();
        assertThat(decision.attach()).containsExactlyInAnyOrder(anon("a-1"), user("u-1"));
        assertThat(decision.refusals()).isEmpty();
    }

    @Test
    void loginOnASecondDeviceMergesIntoTheOldestProfile() {
        Map<Key, UUID> owners = Map.of(anon("web"), web, user("u-1"), web, anon("app"), app);
        Decision decision = plan.decide(List.of(anon("app"), user("u-1"), email("anna@example.com")),
                facts(owners, Map.of(web, Map.of("anonymousId", 1L, "userId", 1L), app, Map.of("anonymousId", 1L)),
                        Map.of(web, MONDAY, app, TUESDAY), Set.of()));

        assertThat(decision.survivorId()).isEqualTo(web);
        assertThat(decision.absorbed()).containsExactly(app);
        assertThat(decision.attach()).containsExactly(email("anna@example.com"));
    }

    @Test
    void theOldestSurvivesEvenWhenTheStrongestIdentifierNamesTheYoungest() {
        Map<Key, UUID> owners = Map.of(user("u-1"), app, anon("web"), web);
        Decision decision = plan.decide(List.of(user("u-1"), anon("web")),
                facts(owners, Map.of(app, Map.of("userId", 1L), web, Map.of("anonymousId", 1L)),
                        Map.of(web, MONDAY, app, TUESDAY), Set.of()));

        assertThat(decision.survivorId()).isEqualTo(web);
        assertThat(decision.absorbed()).containsExactly(app);
    }

    @Test
    void twoUserIdsAreNeverMergedAndTheStrongestIdentifierKeepsTheEvent() {
        Map<Key, UUID> owners = Map.of(user("u-2"), app, email("anna@example.com"), web);
        Decision decision = plan.decide(List.of(user("u-2"), email("anna@example.com")),
                facts(owners, Map.of(app, Map.of("userId", 1L), web, Map.of("userId", 1L, "email", 1L)),
                        Map.of(web, MONDAY, app, TUESDAY), Set.of()));

        assertThat(decision.survivorId()).isEqualTo(app);
        assertThat(decision.absorbed()).isEmpty();
        assertThat(decision.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.otherProfileId()).isEqualTo(web);
            assertThat(refusal.reason()).contains("2 userId identifiers (limit 1)");
        });
    }

    @Test
    void aNewUserOnASharedDeviceStartsANewProfileAndLeavesTheDeviceOwnerAlone() {
        Map<Key, UUID> owners = Map.of(anon("kiosk"), web);
        Decision decision = plan.decide(List.of(anon("kiosk"), user("u-2"), email("bob@example.com")),
                facts(owners, Map.of(web, Map.of("anonymousId", 1L, "userId", 1L)), Map.of(web, MONDAY), Set.of()));

        assertThat(decision.createsProfile()).isTrue();
        assertThat(decision.attach()).containsExactlyInAnyOrder(user("u-2"), email("bob@example.com"));
        assertThat(decision.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.otherProfileId()).isEqualTo(web);
            assertThat(refusal.reason()).contains("shared device");
        });
    }

    @Test
    void aWeakerIdentifierOverItsLimitIsNotAttached() {
        Map<Key, UUID> owners = Map.of(user("u-1"), web);
        Decision decision = plan.decide(List.of(user("u-1"), email("third@example.com")),
                facts(owners, Map.of(web, Map.of("userId", 1L, "email", 2L)), Map.of(web, MONDAY), Set.of()));

        assertThat(decision.survivorId()).isEqualTo(web);
        assertThat(decision.attach()).isEmpty();
        assertThat(decision.refusals()).singleElement().satisfies(refusal -> {
            assertThat(refusal.identifier()).isEqualTo(email("third@example.com"));
            assertThat(refusal.reason()).contains("2 emails (limit 2)");
        });
    }

    @Test
    void profilesSplitByAnUnmergeAreNotMergedAgain() {
        Map<Key, UUID> owners = Map.of(user("u-1"), web, anon("app"), app);
        Decision decision = plan.decide(List.of(user("u-1"), anon("app")),
                facts(owners, Map.of(web, Map.of("userId", 1L), app, Map.of("anonymousId", 1L)),
                        Map.of(web, MONDAY, app, TUESDAY), Set.of(Set.of(web, app))));

        assertThat(decision.survivorId()).isEqualTo(web);
        assertThat(decision.absorbed()).isEmpty();
        assertThat(decision.refusals()).singleElement()
                .satisfies(refusal -> assertThat(refusal.reason()).contains("split apart by an unmerge"));
    }

    @Test
    void blockedValuesIdentifyNoOne() {
        assertThatThrownBy(() -> rules.normalise(IdentifierType.ANONYMOUS_ID, " Anonymous "))
                .hasMessageContaining("blocked");
        assertThatThrownBy(() -> rules.normalise(IdentifierType.POS_CARD, "0000")).hasMessageContaining("blocked");
        assertThat(rules.normalise(IdentifierType.EMAIL, " Anna@Example.COM ")).isEqualTo("anna@example.com");
        assertThat(rules.normalise(IdentifierType.PHONE, "0033 6 12 34 56 78")).isEqualTo("+33612345678");
    }

    @Test
    void configurationMustRankEveryTypeOnce() {
        IdentityConfig missing = config(Map.of(), List.of("userId", "email"));
        assertThatThrownBy(() -> new IdentityRules(missing)).hasMessageContaining("every identifier type");
        assertThatThrownBy(() -> new IdentityRules(config(Map.of("userId", 0)))).hasMessageContaining("at least 1");
    }

    private static Key anon(String value) {
        return new Key("anonymousId", value);
    }

    private static Key user(String value) {
        return new Key("userId", value);
    }

    private static Key email(String value) {
        return new Key("email", value);
    }

    private static Facts facts(Map<Key, UUID> owners) {
        return new Facts(owners, Map.of(), Map.of(), Set.of());
    }

    private static Facts facts(Map<Key, UUID> owners, Map<UUID, Map<String, Long>> counts, Map<UUID, Instant> createdAt,
            Set<Set<UUID>> blocked) {
        return new Facts(owners, new HashMap<>(counts), createdAt, blocked);
    }

    private static IdentityConfig config(Map<String, Integer> limits) {
        return config(limits, List.of("userId", "loyaltyId", "email", "phone", "posCard", "pushToken", "anonymousId"));
    }

    private static IdentityConfig config(Map<String, Integer> limits, List<String> priority) {
        return new IdentityConfig() {
            @Override
            public List<String> priority() {
                return priority;
            }

            @Override
            public Map<String, Integer> limits() {
                return limits;
            }

            @Override
            public Set<String> blockedValues() {
                return Set.of("anonymous", "0000", "null");
            }
        };
    }
}
