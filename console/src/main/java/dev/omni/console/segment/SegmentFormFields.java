package dev.omni.console.segment;

import jakarta.ws.rs.FormParam;

import java.util.List;

/** The segment form as posted (one list entry per condition row), read once for both preview and save. */
public class SegmentFormFields {

    @FormParam("name")
    String name;
    @FormParam("description")
    String description;
    @FormParam("match")
    String match;
    @FormParam("type")
    List<String> type;
    @FormParam("trait")
    List<String> trait;
    @FormParam("op")
    List<String> op;
    @FormParam("value")
    List<String> value;
    @FormParam("country")
    List<String> country;
    @FormParam("city")
    List<String> city;
    @FormParam("event")
    List<String> event;
    @FormParam("channel")
    List<String> channel;
    @FormParam("countOp")
    List<String> countOp;
    @FormParam("count")
    List<String> count;
    @FormParam("withinDays")
    List<String> withinDays;

    SegmentForm form() {
        return SegmentForm.of(name, description, match, type, trait, op, value, country, city, event, channel, countOp,
                count, withinDays);
    }
}
