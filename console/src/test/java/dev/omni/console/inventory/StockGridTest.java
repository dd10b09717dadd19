package dev.omni.console.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omni.console.inventory.InventoryPages.Dot;
import dev.omni.console.inventory.InventoryPages.StockGrid;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class StockGridTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String AVAILABILITY = """
            {"productId":"SNK","skus":[
              {"sku":"SNK-39","online":{"channel":"online","available":7},"locations":[
                {"locationId":"berlin","available":2},{"locationId":"munich","available":0}]},
              {"sku":"SNK-40","online":null,"locations":[{"locationId":"hamburg","available":5}]}]}""";

    private static Map<String, JsonNode> locations() throws Exception {
        return Map.of(
                "berlin", JSON.readTree("{\"id\":\"berlin\",\"name\":\"Berlin\",\"type\":\"STORE\",\"latitude\":52.52,\"longitude\":13.40}"),
                "munich", JSON.readTree("{\"id\":\"munich\",\"name\":\"Munich\",\"type\":\"STORE\",\"latitude\":48.14,\"longitude\":11.58}"),
                "hamburg", JSON.readTree("{\"id\":\"hamburg\",\"name\":\"Hamburg\",\"type\":\"STORE\",\"latitude\":53.55,\"longitude\":9.99}"));
    }

    @Test
    void sizesByLocationsWithTheChosenSizeOnTheMap() throws Exception {
        StockGrid grid = StockGrid.of(JSON.readTree(AVAILABILITY), locations(), "SNK-40");

        assertThat(grid.skus()).containsExactly("SNK-39", "SNK-40");
        assertThat(grid.selected()).isEqualTo("SNK-40");
        assertThat(grid.at("SNK-39", "berlin")).isEqualTo(2);
        assertThat(grid.at("SNK-40", "berlin")).isNull();
        assertThat(grid.online()).containsExactly(Map.entry("SNK-39", 7));
        Map<String, Dot> dots = grid.dots().stream().collect(Collectors.toMap(Dot::id, Function.identity()));
        assertThat(dots).containsOnlyKeys("berlin", "munich", "hamburg");
        assertThat(dots.get("hamburg").available()).isEqualTo(5);
        assertThat(dots.get("berlin").available()).isZero();
    }

    @Test
    void northIsUpAndEastIsRightInsideTheMap() throws Exception {
        Map<String, Dot> dots = StockGrid.of(JSON.readTree(AVAILABILITY), locations(), null).dots().stream()
                .collect(Collectors.toMap(Dot::id, Function.identity()));

        assertThat(dots.get("hamburg").y()).isLessThan(dots.get("berlin").y()).isLessThan(dots.get("munich").y());
        assertThat(dots.get("hamburg").x()).isLessThan(dots.get("munich").x()).isLessThan(dots.get("berlin").x());
        for (Dot dot : dots.values()) {
            assertThat(dot.x()).isBetween(Dot.MARGIN, Dot.SIZE - Dot.MARGIN);
            assertThat(dot.y()).isBetween(Dot.MARGIN, Dot.SIZE - Dot.MARGIN);
        }
    }

    @Test
    void anUnknownSizeFallsBackToTheFirstAndLocationsWithoutCoordinatesStayOffTheMap() throws Exception {
        StockGrid grid = StockGrid.of(JSON.readTree(AVAILABILITY), Map.of(), "NOPE");

        assertThat(grid.selected()).isEqualTo("SNK-39");
        assertThat(grid.places()).extracting(InventoryPages.Place::id).containsExactly("berlin", "hamburg", "munich");
        assertThat(grid.dots()).isEmpty();
    }
}
