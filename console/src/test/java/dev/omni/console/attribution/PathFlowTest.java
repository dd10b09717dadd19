package dev.omni.console.attribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PathFlowTest {

    @Test
    void nodesArePositionQualifiedSoARepeatedChannelKeepsTheGraphAcyclic() throws Exception {
        PathFlow flow = PathFlow.of(new ObjectMapper().readTree("""
                {"conversions":7,"paths":[
                  {"channels":["ad","email","store"],"conversions":3,"revenue":300.5},
                  {"channels":["web","email","web"],"conversions":2,"revenue":80},
                  {"channels":["ad","email"],"conversions":1,"revenue":10},
                  {"channels":["store"],"conversions":1,"revenue":5}]}"""));

        assertThat(flow.nodes()).containsExactly("1 · ad", "2 · email", "3 · store", "conversion", "1 · web",
                "3 · web", "1 · store");
        assertThat(flow.links()).containsExactly(
                new PathFlow.Link("1 · ad", "2 · email", 4),
                new PathFlow.Link("2 · email", "3 · store", 3),
                new PathFlow.Link("3 · store", "conversion", 3),
                new PathFlow.Link("1 · web", "2 · email", 2),
                new PathFlow.Link("2 · email", "3 · web", 2),
                new PathFlow.Link("3 · web", "conversion", 2),
                new PathFlow.Link("2 · email", "conversion", 1),
                new PathFlow.Link("1 · store", "conversion", 1));
        assertThat(flow.links()).allMatch(l -> !l.source().equals(l.target()));
        assertThat(flow.paths()).extracting(PathFlow.Path::label)
                .containsExactly("ad → email → store", "web → email → web", "ad → email", "store");
        assertThat(flow.conversions()).isEqualTo(7);
    }

    @Test
    void noPathNoLink() throws Exception {
        PathFlow flow = PathFlow.of(new ObjectMapper().readTree("{\"conversions\":0,\"paths\":[]}"));
        assertThat(flow.nodes()).isEmpty();
        assertThat(flow.links()).isEmpty();
    }
}
