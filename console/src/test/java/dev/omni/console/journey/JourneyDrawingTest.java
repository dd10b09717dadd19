package dev.omni.console.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class JourneyDrawingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** messaging-service's built-in journey, as it ships. */
    private static JsonNode cartAbandonment() throws IOException {
        return JSON.readTree(Files.readString(
                Path.of("../messaging-service/src/main/resources/journeys/cart-abandonment.json")));
    }

    @Test
    void everyStepInDefinitionOrderWithEveryBranchAndFallback() throws Exception {
        JourneyDrawing drawing = JourneyDrawing.of(cartAbandonment(), null);

        assertThat(drawing.boxes()).extracting(JourneyDrawing.Box::id).containsExactly("idle", "has-app",
                "push-reminder", "push-unread", "email-reminder", "email-unclicked", "sms-discount");
        assertThat(drawing.boxes()).allMatch(b -> b.counts() == null);
        assertThat(drawing.edges()).extracting(e -> e.from() + ">" + e.to() + ":" + e.label()).containsExactly(
                "idle>has-app:", "has-app>push-reminder:yes", "has-app>email-reminder:no",
                "push-reminder>push-unread:", "push-unread>email-reminder:not read after PT4H",
                "email-reminder>email-unclicked:", "email-unclicked>sms-discount:not clicked after P1D");
        // straight down to the next box, a lane of its own for a jump
        assertThat(drawing.edges()).filteredOn(e -> !e.straight()).extracting(JourneyDrawing.Edge::from)
                .containsExactly("has-app");
        assertThat(drawing.boxes().get(6).ends()).isTrue();
        for (int i = 1; i < drawing.boxes().size(); i++) {
            assertThat(drawing.boxes().get(i).y()).isGreaterThan(drawing.boxes().get(i - 1).y()
                    + drawing.boxes().get(i - 1).height());
        }
        assertThat(drawing.height()).isGreaterThan(drawing.boxes().get(6).y() + drawing.boxes().get(6).height());
    }

    @Test
    void countsPerStepFromTheStats() throws Exception {
        JsonNode stats = JSON.readTree("""
                {"journeyId":"cart-abandonment","active":true,"entered":3,"completed":1,"exited":1,"steps":[
                  {"step":"idle","type":"wait","channel":null,"entered":3,"sent":0,"delivered":0,"opened":0,"clicked":0,"suppressed":{}},
                  {"step":"email-reminder","type":"send","channel":"email","entered":2,"sent":1,"delivered":1,"opened":1,
                   "clicked":0,"suppressed":{"consent":1,"quiet_hours":2}}]}""");
        JourneyDrawing drawing = JourneyDrawing.of(cartAbandonment(), stats);

        JourneyDrawing.Box email = drawing.boxes().get(4);
        assertThat(email.counts().entered()).isEqualTo(2);
        assertThat(email.counts().sent()).isEqualTo(1);
        assertThat(email.counts().suppressedTotal()).isEqualTo(3);
        assertThat(email.counts().suppressedText()).isEqualTo("consent 1, quiet_hours 2");
        assertThat(drawing.boxes().get(0).counts().entered()).isEqualTo(3);
        assertThat(drawing.boxes().get(1).counts().entered()).as("a step no run reached").isZero();
    }
}
