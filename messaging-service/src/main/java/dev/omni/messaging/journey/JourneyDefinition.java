package dev.omni.messaging.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A journey as written by its author (JSON): a trigger, exit events and a graph of steps.
 *
 * @param purpose   marketing (default) or transactional, for every send of the journey
 * @param start     the first step; the first of {@code steps} when absent
 * @param variables {@code journey.*} in templates (e.g. a discount code)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JourneyDefinition(String id, String name, String purpose, String campaign, TriggerSpec trigger,
        List<ExitSpec> exitWhen, Map<String, Object> variables, String start, List<Step> steps) {

    /**
     * @param type    interaction, segment-entered, back-in-stock, reservation-at-risk or reservation-reallocated
     * @param event   for interaction: the event name ({@code cart_item_added})
     * @param segment for segment-entered: the segment id or name
     * @param sku     for back-in-stock: only this sku (any when absent)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TriggerSpec(String type, String event, String segment, String sku) {
    }

    /** The run ends when the profile does this (an interaction event name, e.g. {@code order_completed}). */
    public record ExitSpec(String event) {
    }

    /**
     * One step. {@code wait}: {@code duration}, {@code next}. {@code send}: {@code channel}, {@code template},
     * optional {@code variables}, {@code next}. {@code condition}: {@code if}, {@code then}, {@code else}.
     * {@code fallback}: {@code after} the send step {@code of}, go to {@code then} unless that message reached
     * {@code unless} (delivered, read or clicked), else to {@code next}. A step without a successor ends the run.
     * Durations are ISO-8601 ({@code PT30M}, {@code P1D}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String id, String type, String duration, String channel, String template,
            Map<String, Object> variables, String of, String after, String unless,
            @JsonProperty("if") Condition condition, String then, @JsonProperty("else") String otherwise,
            String next) {
    }

    /** {@code hasContact}: the profile has an address on that channel; or trait {@code trait} equals {@code equals}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Condition(String hasContact, String trait, Object equals) {
    }

    public Step step(String stepId) {
        return steps.stream().filter(s -> stepId.equals(s.id())).findFirst().orElse(null);
    }

    public String firstStep() {
        return start != null ? start : steps.get(0).id();
    }
}
