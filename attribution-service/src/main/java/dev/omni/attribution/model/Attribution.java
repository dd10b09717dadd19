package dev.omni.attribution.model;

import java.util.Arrays;
import java.util.List;

/**
 * What a model gives each channel: a share of the conversions and of their value. For every model the credits
 * add up to the totals of the converting journeys (up to rounding).
 *
 * @param method how the credit was computed, for models with more than one way (e.g. Shapley exact or simplified)
 */
public record Attribution(String model, String method, List<String> channels, double[] conversions,
        double[] values, double totalConversions, double totalValue) {

    public Attribution {
        if (conversions.length != channels.size() || values.length != channels.size()) {
            throw new IllegalArgumentException("one credit per channel");
        }
        conversions = conversions.clone();
        values = values.clone();
    }

    public double conversions(String channel) {
        return conversions[index(channel)];
    }

    public double value(String channel) {
        return values[index(channel)];
    }

    @Override
    public double[] conversions() {
        return conversions.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    public double conversions(int channel) {
        return conversions[channel];
    }

    public double value(int channel) {
        return values[channel];
    }

    private int index(String channel) {
        int index = channels.indexOf(channel);
        if (index < 0) {
            throw new IllegalArgumentException("no channel " + channel);
        }
        return index;
    }

    @Override
    public String toString() {
        return model + "(" + method + ") " + channels + " conversions " + Arrays.toString(conversions) + " values "
                + Arrays.toString(values);
    }
}
