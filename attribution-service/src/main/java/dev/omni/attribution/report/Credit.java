package dev.omni.attribution.report;

import java.math.BigDecimal;

/**
 * One key's (channel's, campaign's) credit under a model.
 *
 * @param share share of the credited conversions
 * @param cost  spend on the key's touchpoints in the range, null when none carried a cost
 * @param roas  attributed value / cost, null without cost
 */
public record Credit(String key, double conversions, double value, double share, BigDecimal cost, Double roas) {
}
