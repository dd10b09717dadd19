package dev.omni.inventory;

import dev.omni.testing.ServiceInfraResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.omni.inventory.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Locations and SKUs managed over the API, in the shapes the launcher's demo loader posts. */
@QuarkusTest
@WithTestResource(value = ServiceInfraResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CatalogTest {

    static final String BERLIN_MITTE = """
            {"id":"store-berlin-mitte","name":"Omni Berlin Mitte","type":"STORE","latitude":52.5246,"longitude":13.4020,
             "timeZone":"Europe/Berlin","pickupEnabled":true,"fulfilsOnline":false,
             "openingHours":{"MONDAY":"10:00-20:00","TUESDAY":"10:00-20:00","WEDNESDAY":"10:00-20:00",
               "THURSDAY":"10:00-20:00","FRIDAY":"10:00-20:00","SATURDAY":"10:00-20:00","SUNDAY":null}}""";

    @Test
    void storeIsCreatedOnceAndReadBack() {
        given().contentType("application/json").body(BERLIN_MITTE).post("/api/locations")
                .then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/locations/store-berlin-mitte"))
                .body("id", is("store-berlin-mitte"))
                .body("type", is("STORE"));
        given().contentType("application/json").body(BERLIN_MITTE).post("/api/locations")
                .then().statusCode(409).contentType("application/problem+json");

        given().get("/api/locations/store-berlin-mitte").then().statusCode(200)
                .body("name", is("Omni Berlin Mitte"))
                .body("latitude", is(52.5246f))
                .body("pickupEnabled", is(true))
                .body("openingHours.MONDAY", is("10:00-20:00"))
                .body("openingHours.SUNDAY", nullValue());
        given().get("/api/locations").then().statusCode(200).body("id", hasItem("store-berlin-mitte"));
        given().queryParam("type", "warehouse").get("/api/locations").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.not(hasItem("store-berlin-mitte")));
    }

    @Test
    void locationIsUpdated() {
        String id = Fixtures.store(unique("store"), 48.1372, 11.5756);
        given().contentType("application/json").body("""
                        {"name":"Omni München Marienplatz","type":"STORE","latitude":48.1372,"longitude":11.5756,
                         "timeZone":"Europe/Berlin","pickupEnabled":false,"openingHours":{"monday":"09:30-20:00"}}""")
                .put("/api/locations/" + id)
                .then().statusCode(200)
                .body("pickupEnabled", is(false))
                .body("openingHours.MONDAY", is("09:30-20:00"))
                .body("openingHours.TUESDAY", nullValue());
    }

    @Test
    void skuIsCreatedOnceAndListedByProduct() {
        String sku = unique("SNK-RUNNER-42-WHT");
        given().contentType("application/json").body("""
                        {"sku":"%s","productId":"SNK-RUNNER","name":"Omni Runner white 42",
                         "attributes":{"size":"42","colour":"white"}}""".formatted(sku))
                .post("/api/skus").then().statusCode(201).body("attributes.size", is("42"));
        given().contentType("application/json").body("""
                        {"sku":"%s","productId":"SNK-RUNNER","name":"again"}""".formatted(sku))
                .post("/api/skus").then().statusCode(409).contentType("application/problem+json");
        given().get("/api/skus/" + sku).then().statusCode(200).body("productId", is("SNK-RUNNER"))
                .body("attributes.colour", is("white"));
        given().queryParam("productId", "SNK-RUNNER").get("/api/skus").then().statusCode(200)
                .body("sku", hasItem(sku));
        given().get("/api/skus/NO-SUCH-SKU").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void invalidLocationIsAProblemNamingItsFields() {
        given().contentType("application/json").body("""
                        {"id":"bad id","name":"","type":"SHOP","latitude":123.4,"longitude":13.4,
                         "timeZone":"Mars/Olympus","openingHours":{}}""")
                .post("/api/locations")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("id", "name", "type", "latitude"));
        given().contentType("application/json").body("""
                        {"id":"store-x","name":"X","type":"STORE","latitude":52.1,"longitude":13.4,
                         "timeZone":"Mars/Olympus","openingHours":{"FUNDAY":"10:00-20:00","MONDAY":"20:00-10:00"}}""")
                .post("/api/locations")
                .then().statusCode(400)
                .body("violations.field", hasItems("timeZone", "openingHours"));
        given().get("/api/locations/store-x").then().statusCode(404);
    }

    @Test
    void wronglyTypedJsonIsAProblemNotAServerError() {
        given().contentType("application/json").body("""
                        {"id":"store-y","name":"Y","type":"STORE","latitude":"north","longitude":13.4,"timeZone":"UTC"}""")
                .post("/api/locations")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").body("{\"sku\": ")
                .post("/api/skus")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void invalidSkuIsAProblemNamingItsFields() {
        given().contentType("application/json").body("""
                        {"sku":"A@B","name":"x"}""")
                .post("/api/skus")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("sku", "productId"));
    }

    /** The launcher's demo loader posts these files line by line, and again on every {@code ./omni demo}. */
    @Test
    void launcherDemoDataLoadsAndLoadsAgainWithoutChange() throws Exception {
        Path demo = Path.of("..", "launcher", "demo");
        Assumptions.assumeTrue(Files.isDirectory(demo), "no launcher/demo beside this module");
        String storeId = "store-berlin-mitte";
        // another test of this class may have created it already; make it so either way
        given().contentType("application/json").body(BERLIN_MITTE).post("/api/locations");
        for (int pass = 1; pass <= 2; pass++) {
            post(demo.resolve("locations.ndjson"), "/api/locations", pass, Integer.MAX_VALUE);
            post(demo.resolve("skus.ndjson"), "/api/skus", pass, Integer.MAX_VALUE);
            // the second pass re-posts a sample of the movements: their repeat is covered in StockMovementTest
            post(demo.resolve("stock-movements.ndjson"), "/api/stock-movements", pass,
                    pass == 1 ? Integer.MAX_VALUE : 30);
        }
        given().get("/api/stock/SNK-RUNNER-42-WHT/" + storeId).then().statusCode(200).body("onHand", is(7));
        given().queryParam("sku", "SNK-RUNNER-45-BLK").get("/api/availability/online").then().statusCode(200)
                .body("skus[0].available", is(0));
        given().queryParam("sku", "SNK-RUNNER-42-WHT").queryParam("near", "52.5219,13.4132").queryParam("radiusKm", 5)
                .get("/api/availability").then().statusCode(200)
                .body("stores[0].locationId", is(storeId))
                .body("stores[0].available", is(7));
    }

    private static void post(Path file, String path, int pass, int limit) throws Exception {
        for (String line : Files.readAllLines(file).stream().limit(limit).toList()) {
            if (line.isBlank()) {
                continue;
            }
            int status = given().contentType("application/json").body(line).post(path).statusCode();
            if (path.endsWith("stock-movements")) {
                org.assertj.core.api.Assertions.assertThat(status).as("%s pass %d: %s", path, pass, line).isEqualTo(200);
            } else if (pass == 1 && !line.contains("\"id\":\"store-berlin-mitte\"")) {
                org.assertj.core.api.Assertions.assertThat(status).as("%s: %s", path, line).isEqualTo(201);
            } else {
                org.assertj.core.api.Assertions.assertThat(status).as("%s again: %s", path, line).isEqualTo(409);
            }
        }
    }
}
