package dev.omni.gateway;

import dev.omni.gateway.route.CustomerAccess;
import dev.omni.gateway.route.Route;
import dev.omni.gateway.route.RouteTable;
import dev.omni.gateway.route.Scopes;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of {@link RouteTable#OMNI} against every way a caller can be wrong: no token, expired, wrong issuer,
 * wrong audience, foreign signature (401); a client without the route's scopes, a customer on a route not open to
 * customers or on another customer's profile (403); and the right caller, who gets past the gateway. Each case is
 * its own test, so the report counts them.
 */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuthMatrixTest {

    private static final Set<String> ALL_SCOPES = Set.of(Scopes.STOREFRONT, Scopes.EVENTS_WRITE, Scopes.STOCK_WRITE,
            Scopes.INVENTORY_READ, Scopes.ATTRIBUTION_READ, Scopes.AUDIENCES_READ, Scopes.FEEDS_READ, Scopes.ADMIN);
    private static final String CLIENT = "matrix-client";
    private static final String OWN_PROFILE = "p-" + UUID.randomUUID();
    private static final String OTHER_PROFILE = "p-" + UUID.randomUUID();
    private static final String CUSTOMER_EMAIL = "matrix-" + UUID.randomUUID() + "@example.com";
    private static final String CUSTOMER_SUBJECT = UUID.randomUUID().toString();

    @InjectStubServices
    StubServices services;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void customerHasAProfile() {
        services.reset();
        breakers.resetAll();
        services.profile.stubFor(get(urlPathEqualTo("/api/profiles"))
                .withQueryParam("identifier", equalTo(CUSTOMER_EMAIL))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + OWN_PROFILE + "\"}")));
    }

    @TestFactory
    Stream<DynamicTest> everyRouteRefusesWhoMustNotPassAndLetsTheRightCallerThrough() {
        List<DynamicTest> cases = new ArrayList<>();
        for (Route route : RouteTable.OMNI.routes()) {
            String method = method(route);
            String path = route.path().example(Map.of("profileId", OTHER_PROFILE, "productId", "SNK-RUNNER",
                    "segmentId", UUID.randomUUID().toString(), "channel", "google"));
            String name = method + " " + route.path().template();
            if (route.access().open()) {
                cases.add(passes(name + ": open without a token", method, path, () -> null));
                continue;
            }
            cases.add(refused(name + ": no token -> 401", method, path, () -> null, 401));
            cases.add(refused(name + ": expired -> 401", method, path,
                    () -> Tokens.expired(CLIENT, route.access().scopes().toArray(String[]::new)), 401));
            cases.add(refused(name + ": wrong issuer -> 401", method, path,
                    () -> Tokens.wrongIssuer(CLIENT, route.access().scopes().toArray(String[]::new)), 401));
            cases.add(refused(name + ": wrong audience -> 401", method, path,
                    () -> Tokens.wrongAudience(CLIENT, route.access().scopes().toArray(String[]::new)), 401));
            cases.add(refused(name + ": foreign signature -> 401", method, path,
                    () -> Tokens.foreignSignature(CLIENT, route.access().scopes().toArray(String[]::new)), 401));
            Set<String> otherScopes = new TreeSet<>(ALL_SCOPES);
            otherScopes.removeAll(route.access().scopes());
            cases.add(refused(name + ": missing scope -> 403", method, path,
                    () -> Tokens.client(CLIENT, otherScopes.toArray(String[]::new)), 403));
            if (!route.access().scopes().isEmpty()) {
                String scope = new TreeSet<>(route.access().scopes()).first();
                cases.add(passes(name + ": scope " + scope + " passes", method, path,
                        () -> Tokens.client(CLIENT, scope)));
            }
            CustomerAccess customers = route.access().customers();
            Supplier<String> customer = () -> Tokens.customer(CUSTOMER_SUBJECT, CUSTOMER_EMAIL);
            switch (customers) {
                case NONE -> cases.add(refused(name + ": customer -> 403", method, path, customer, 403));
                case OWNER -> {
                    String owner = route.access().ownerParameter();
                    if (owner != null) {
                        cases.add(refused(name + ": customer naming no profile -> 403", method, path, customer, 403));
                        cases.add(refused(name + ": another customer's profile -> 403", method,
                                path + "?" + owner + "=" + OTHER_PROFILE, customer, 403));
                        cases.add(passes(name + ": own profile passes", method,
                                path + "?" + owner + "=" + OWN_PROFILE, customer));
                        continue;
                    }
                    cases.add(refused(name + ": another customer's profile -> 403", method, path, customer, 403));
                    String own = route.path().example(Map.of("profileId", OWN_PROFILE));
                    cases.add(passes(name + ": own profile passes", method, own, customer));
                }
                case ANY, SELF -> cases.add(passes(name + ": customer passes", method, path, customer));
            }
        }
        return cases.stream();
    }

    /** A case the gateway must refuse with {@code status}. */
    private DynamicTest refused(String name, String method, String path, Supplier<String> token, int status) {
        return DynamicTest.dynamicTest(name, () -> {
            int actual = send(method, path, token.get());
            assertThat(actual).as(name).isEqualTo(status);
        });
    }

    /** A case the gateway must let through (whatever the service or endpoint then answers). */
    private DynamicTest passes(String name, String method, String path, Supplier<String> token) {
        return DynamicTest.dynamicTest(name, () -> {
            int actual = send(method, path, token.get());
            assertThat(actual).as(name).isNotIn(401, 403, 404, 405, 429);
        });
    }

    private static int send(String method, String path, String token) {
        RequestSpecification request = given().redirects().follow(false);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        if (Set.of("POST", "PUT", "PATCH").contains(method)) {
            request = request.contentType("application/json").body(body(path));
        }
        return request.request(method, path).statusCode();
    }

    /** A body the gateway's own endpoints accept, so a passing case is not mistaken for a refusal. */
    private static String body(String path) {
        if (path.equals("/api/partners/stock-movements")) {
            return "{\"movementId\":\"matrix-" + UUID.randomUUID()
                    + "\",\"kind\":\"RECEIPT\",\"sku\":\"SKU-M\",\"locationId\":\"store-1\",\"quantity\":1}";
        }
        if (path.equals("/api/me/reservations")) {
            return "{\"lines\":[{\"sku\":\"SKU-M\",\"locationId\":\"store-1\",\"quantity\":1}]}";
        }
        return "{}";
    }

    private static String method(Route route) {
        for (String preferred : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")) {
            if (route.methods().contains(preferred)) {
                return preferred;
            }
        }
        throw new IllegalStateException("no method on " + route);
    }
}
