package dev.omni.gateway;

import dev.omni.gateway.route.Scopes;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * {@code GET /api/reservations} lists by the query, not the path: a customer may only name their own profile (once,
 * unambiguously however the service reads the query), listing across customers ({@code status=at_risk} alone) is for admin clients
 * such as the console, and a refused request never reaches inventory-service.
 */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ReservationListingAccessTest {

    private static final String LIST = "/api/reservations";

    @InjectStubServices
    StubServices services;

    @Inject
    CircuitBreakerMaintenance breakers;

    private String own;
    private String customer;

    @BeforeEach
    void aCustomerWithAProfile() {
        services.reset();
        breakers.resetAll();
        own = "p-" + UUID.randomUUID();
        String email = "rae-" + UUID.randomUUID() + "@example.com";
        customer = Tokens.customer(UUID.randomUUID().toString(), email);
        services.profile.stubFor(get(urlPathEqualTo("/api/profiles"))
                .withQueryParam("identifier", equalTo(email))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + own + "\"}")));
        services.inventory.stubFor(get(urlPathEqualTo(LIST)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("[{\"id\":\"r-1\",\"atRisk\":true}]")));
    }

    @Test
    void customerListsTheirOwnReservationsAtRiskOrNot() {
        given().auth().oauth2(customer).get(LIST + "?profileId=" + own).then().statusCode(200).body("[0].id", is("r-1"));
        given().auth().oauth2(customer).get(LIST + "?status=at_risk&profileId=" + own).then().statusCode(200);
        services.inventory.verify(getRequestedFor(urlEqualTo(LIST + "?profileId=" + own)));
        services.inventory.verify(getRequestedFor(urlEqualTo(LIST + "?status=at_risk&profileId=" + own)));
    }

    @Test
    void customerCannotListOthersOrAcrossCustomers() {
        String other = "p-" + UUID.randomUUID();
        for (String query : List.of(
                "status=at_risk",                                   // across customers
                "profileId=" + other,                               // someone else
                "status=at_risk&profileId=" + other,
                "profileId=" + own + "&profileId=" + other,         // the service would read only one of them
                "profileId=" + other + "&profileId=" + own,
                "PROFILEID=" + other + "&profileId=" + own,         // a service may match names ignoring case
                "ProfileId=" + own + "&status=at_risk",             // or not: then this would list across customers
                "status=at_risk;profileId=" + other + "&profileId=" + own,  // a service may split at ;
                "profileId=" + own + ";status=at_risk",             // or not: ambiguous either way
                "profileId=&status=at_risk",
                "profileId")) {
            // sent as written: RestAssured would otherwise encode the ; into the value
            Response refused = given().urlEncodingEnabled(false).auth().oauth2(customer).get(LIST + "?" + query);
            assertThat(refused.statusCode()).as(query).isEqualTo(403);
            assertThat(refused.contentType()).as(query).startsWith("application/problem+json");
        }
        given().auth().oauth2(customer).get(LIST).then().statusCode(403);
        given().auth().oauth2(customer).get(LIST + "/" + UUID.randomUUID()).then().statusCode(403);
        services.inventory.verify(0, getRequestedFor(urlPathEqualTo(LIST)));
    }

    @Test
    void onlyAdminClientsListAcrossCustomers() {
        String storefront = Tokens.client("storefront-web", Scopes.STOREFRONT);
        given().auth().oauth2(storefront).get(LIST + "?status=at_risk").then().statusCode(403)
                .body("detail", containsString("admin"));
        given().auth().oauth2(storefront).get(LIST + "?status=at_risk&profileId=").then().statusCode(403);
        services.inventory.verify(0, getRequestedFor(urlPathEqualTo(LIST)));
        // a shop's backend still reads any one customer's reservations, as before
        given().auth().oauth2(storefront).get(LIST + "?profileId=p-42").then().statusCode(200);

        String console = Tokens.client("omni-console", Scopes.ADMIN);
        given().auth().oauth2(console).get(LIST + "?status=at_risk&locationId=store-1&limit=50").then()
                .statusCode(200).body("[0].atRisk", is(true));
        services.inventory.verify(getRequestedFor(urlEqualTo(LIST + "?status=at_risk&locationId=store-1&limit=50")));
    }
}
