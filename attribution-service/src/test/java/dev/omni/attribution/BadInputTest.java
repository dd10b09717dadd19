package dev.omni.attribution;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/** Bad query parameters are a problem+json 400 naming each bad field, never a 5xx. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BadInputTest {

    @Test
    void unknownModelNamesTheField() {
        given().get("/api/reports/credit?model=u-shaped").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("violations[0].field", is("model"))
                .body("violations[0].in", is("query"))
                .body("violations[0].message", containsString("u-shaped"));
    }

    @Test
    void invertedRangeNamesFrom() {
        given().get("/api/reports/credit?from=2025-04-01&to=2025-03-01").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("from"));
        given().get("/api/reports/credit?from=2025-03-01T10:00:00Z&to=2025-03-01T10:00:00Z").then().statusCode(400)
                .body("violations.field", hasItem("from"));
    }

    @Test
    void markovOrderOutOfRangeNamesOrder() {
        for (String order : new String[] {"0", "4", "two"}) {
            given().get("/api/reports/markov?order=" + order).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations.field", hasItem("order"));
        }
    }

    @Test
    void everyBadParameterIsNamedAtOnce() {
        given().get("/api/reports/comparison?models=linear,w-shaped&dimension=device&lookbackDays=400"
                        + "&halfLifeDays=0&from=yesterday&format=xml")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("models", "dimension", "lookbackDays", "halfLifeDays", "from",
                        "format"));
    }

    @Test
    void csvRequestsStillGetAProblem() {
        given().accept("text/csv").get("/api/reports/credit?model=nope").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", is("model"));
    }

    @Test
    void kpisAndJourneysCheckTheirParametersToo() {
        given().get("/api/kpis?model=nope&to=2025-13-01").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("model", "to"));
        given().get("/api/journeys?from=2025-03-01").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("profileId"));
        given().get("/api/touchpoints").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("profileId"));
    }

    @Test
    void emptyDataIsAnEmptyReportNotAnError() {
        for (String model : new String[] {"first", "last", "last-non-direct", "linear", "position-based", "time-decay",
                "markov", "shapley"}) {
            given().get("/api/reports/credit?model=" + model).then().statusCode(200)
                    .body("journeys", is(0))
                    .body("credits.size()", is(0));
        }
        given().get("/api/reports/markov?order=3").then().statusCode(200).body("conversionProbability", is(0.0f));
        given().get("/api/kpis").then().statusCode(200).body("lifetimeValue.customers", is(0));
    }
}
