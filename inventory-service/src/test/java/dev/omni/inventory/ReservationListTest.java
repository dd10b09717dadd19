package dev.omni.inventory;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.omni.inventory.Fixtures.move;
import static dev.omni.inventory.Fixtures.reserve;
import static dev.omni.inventory.Fixtures.sku;
import static dev.omni.inventory.Fixtures.store;
import static dev.omni.inventory.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItems;

/** Listing reservations for the console: those at risk after a store sale, by store, by customer, bounded. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ReservationListTest {

    String sku;

    @BeforeEach
    void catalog() {
        sku = sku(unique("SNK"), "SNK-RUNNER", "42");
    }

    @Test
    void storeSaleLeavesTheNewestReservationsListedAtRiskNewestFirst() {
        String mitte = store(unique("mitte"), 52.5246, 13.4020);
        String kreuzberg = store(unique("kreuzberg"), 52.4986, 13.4030);
        move("RECEIPT", sku, mitte, 4);
        move("RECEIPT", sku, kreuzberg, 1);
        String anna = unique("prf-anna");
        String ben = unique("prf-ben");
        String kept = reserveAt(mitte, anna, 1);
        String first = reserveAt(mitte, ben, 1);
        String second = reserveAt(mitte, anna, 1);
        String third = reserveAt(mitte, ben, 1);
        String elsewhere = reserveAt(kreuzberg, anna, 1);

        // the POS sells three of the four units on the shelf: the three newest reservations are uncovered
        move("SALE", sku, mitte, 3);

        JsonPath atMitte = list("status=at_risk&locationId=" + mitte);
        assertThat(atMitte.getList("id")).containsExactly(third, second, first);
        assertThat(atMitte.getList("atRisk")).containsOnly(true);
        assertThat(atMitte.getList("lines.locationId.flatten()")).containsOnly(mitte);
        assertThat(atMitte.getList("status")).containsOnly("ACTIVE");

        // across stores and customers: ours are there, and nothing listed is covered
        JsonPath all = list("status=at_risk&limit=500");
        assertThat(all.getList("id", String.class)).contains(third, second, first).doesNotContain(kept, elsewhere);
        assertThat(all.getList("atRisk")).containsOnly(true);

        // combined with a customer: only theirs at risk; the customer alone: all of theirs
        assertThat(list("status=at_risk&profileId=" + anna).getList("id")).containsExactly(second);
        assertThat(list("profileId=" + anna).getList("id")).containsExactly(elsewhere, second, kept);
        assertThat(list("profileId=" + anna + "&locationId=" + kreuzberg).getList("id")).containsExactly(elsewhere);

        // the limit keeps the newest
        assertThat(list("status=at_risk&locationId=" + mitte + "&limit=2").getList("id")).containsExactly(third, second);

        // released or covered again: no longer listed
        given().contentType("application/json").post("/api/reservations/" + third + "/release")
                .then().statusCode(200);
        assertThat(list("status=at_risk&locationId=" + mitte).getList("id")).containsExactly(second, first);
        move("RECEIPT", sku, mitte, 2);
        assertThat(list("status=at_risk&locationId=" + mitte).getList("id")).isEmpty();
    }

    @Test
    void badQueriesAreRefusedNamingTheParameter() {
        given().get("/api/reservations").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("profileId", "status"));
        given().get("/api/reservations?locationId=mitte").then().statusCode(400)
                .body("violations.field", containsInAnyOrder("profileId", "status"));
        given().get("/api/reservations?status=late").then().statusCode(400)
                .body("violations.field", containsInAnyOrder("status"));
        given().get("/api/reservations?profileId=").then().statusCode(400)
                .body("violations.field", hasItems("profileId"));
        for (String limit : List.of("0", "501", "ten", "-1")) {
            given().get("/api/reservations?status=at_risk&limit=" + limit).then().statusCode(400)
                    .body("violations.field", containsInAnyOrder("limit"));
        }
        given().get("/api/reservations?status=at_risk&locationId=no%20such%20store").then().statusCode(400)
                .body("violations.field", containsInAnyOrder("locationId"));
        given().get("/api/reservations?status=at_risk&limit=500").then().statusCode(200);
    }

    private JsonPath list(String query) {
        return given().get("/api/reservations?" + query).then().statusCode(200).extract().jsonPath();
    }

    private String reserveAt(String storeId, String profileId, int quantity) {
        return reserve("""
                {"profileId":"%s","pickupLocationId":"%s","allowReallocation":false,"lines":[{"sku":"%s","quantity":%d}]}
                """.formatted(profileId, storeId, sku, quantity));
    }
}
