package dev.omni.attribution.report;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 CSV of the reports: a header line, then one line per row; fields quoted when they need it. */
final class Csv {

    static final String MEDIA_TYPE = "text/csv";

    private Csv() {
    }

    static String credit(CreditReport report) {
        StringBuilder csv = new StringBuilder(line(List.of("key", "conversions", "value", "share", "cost", "roas")));
        for (Credit credit : report.credits()) {
            csv.append(line(List.of(credit.key(), number(credit.conversions()), number(credit.value()),
                    number(credit.share()), credit.cost() == null ? "" : credit.cost().toPlainString(),
                    credit.roas() == null ? "" : number(credit.roas()))));
        }
        return csv.toString();
    }

    static String comparison(ComparisonReport report) {
        StringBuilder header = new StringBuilder("key");
        for (String model : report.models()) {
            header.append(',').append(model).append("_conversions,").append(model).append("_value");
        }
        StringBuilder csv = new StringBuilder(header).append("\r\n");
        for (ComparisonReport.Row row : report.rows()) {
            StringBuilder line = new StringBuilder(field(row.key()));
            for (String model : report.models()) {
                ComparisonReport.Share share = row.credits().get(model);
                line.append(',').append(number(share.conversions())).append(',').append(number(share.value()));
            }
            csv.append(line).append("\r\n");
        }
        return csv.toString();
    }

    static String transitions(MarkovReport report) {
        StringBuilder csv = new StringBuilder(line(List.of("from", "to", "count", "probability")));
        report.transitions().forEach(t -> csv.append(line(List.of(t.from(), t.to(), number(t.count()),
                number(t.probability())))));
        return csv.toString();
    }

    private static String line(List<String> fields) {
        return fields.stream().map(Csv::field).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String field(String value) {
        if (!value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !isNumber(value)) {
            // a campaign name from an event must not run as a formula in a spreadsheet
            value = "'" + value;
        }
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    private static String number(double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    private static boolean isNumber(String value) {
        try {
            new BigDecimal(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
