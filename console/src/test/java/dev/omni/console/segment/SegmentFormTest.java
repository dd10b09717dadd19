package dev.omni.console.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentFormTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rowsBecomeTheServicesDefinitionFormat() throws Exception {
        SegmentForm form = SegmentForm.of(" lapsed-gold ", "", "all",
                List.of("trait", "location", "interaction", "interaction", "", "trait"),
                List.of("tier", "", "", "", "", "segment"),
                List.of("eq", "eq", "eq", "eq", "eq", "in"),
                List.of("gold", "", "", "", "", "a, b ,3"),
                List.of("", "DE", "", "", "", ""),
                List.of("", "Berlin", "", "", "", ""),
                List.of("", "", "order_completed", "product_viewed", "", ""),
                List.of("", "", "", "app", "", ""),
                List.of("gte", "gte", "none", "gte", "gte", "gte"),
                List.of("", "", "", "3", "", ""),
                List.of("", "", "90", "7", "", ""));

        assertThat(form.definition()).isEqualTo(JSON.readTree("""
                {"name":"lapsed-gold","match":"all","conditions":[
                  {"type":"trait","trait":"tier","op":"eq","value":"gold"},
                  {"type":"location","country":"DE","city":"Berlin"},
                  {"type":"interaction","event":"order_completed","withinDays":90,"happened":false},
                  {"type":"interaction","event":"product_viewed","channel":"app","withinDays":7,
                   "count":{"op":"gte","value":3}},
                  {"type":"trait","trait":"segment","op":"in","value":["a","b",3]}]}"""));
    }

    @Test
    void whatDoesNotReadAsANumberGoesAsTypedForTheServiceToNameTheField() throws Exception {
        SegmentForm form = SegmentForm.of("", "", "any", List.of("interaction", "trait"), List.of("", "zip"),
                List.of("eq", "eq"), List.of("", "01234"), List.of("", ""), List.of("", ""),
                List.of("order_completed", ""), List.of("", ""), List.of("gte", "gte"), List.of("", ""),
                List.of("ninety", ""));

        assertThat(form.definition()).isEqualTo(JSON.readTree("""
                {"match":"any","conditions":[
                  {"type":"interaction","event":"order_completed","withinDays":"ninety"},
                  {"type":"trait","trait":"zip","op":"eq","value":"01234"}]}"""));
    }

    @Test
    void traitExistsHasNoValue() throws Exception {
        SegmentForm form = SegmentForm.of("x", "", "all", List.of("trait"), List.of("phone"), List.of("exists"),
                List.of("ignored"), null, null, null, null, null, null, null);
        assertThat(form.definition().get("conditions").get(0)).isEqualTo(JSON.readTree("""
                {"type":"trait","trait":"phone","op":"exists"}"""));
    }
}
