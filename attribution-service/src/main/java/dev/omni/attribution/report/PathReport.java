package dev.omni.attribution.report;

import java.time.Instant;
import java.util.List;

/**
 * The most common channel paths to a conversion.
 *
 * @param conversions every conversion of the range, those without a touch in their lookback (in no path) included
 * @param paths       most conversions first
 */
public record PathReport(Instant from, Instant to, long lookbackDays, long conversions, List<Path> paths) {

    /**
     * One ordered path and what the conversions that took it brought in.
     *
     * @param channels oldest first, consecutive repeats of a channel collapsed, at most {@link TopPaths#MAX_STEPS}
     * @param revenue  the conversions' value, rounded to cents
     */
    public record Path(List<String> channels, long conversions, double revenue) {
    }
}
