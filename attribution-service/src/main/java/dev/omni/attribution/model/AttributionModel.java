package dev.omni.attribution.model;

/** Shares the conversions of a set of journeys, and their value, among the channels. Stateless and thread-safe. */
public interface AttributionModel {

    String name();

    Attribution attribute(Journeys journeys);
}
