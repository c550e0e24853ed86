package io.sipvane.sip.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line must be a
 * {@code # HELP}, a {@code # TYPE} or a well-formed sample, or parsing fails.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? "
                    + "([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))( -?[0-9]+)?");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");

    private PrometheusText() {}

    /** Sample (name plus sorted labels, as written) to value. */
    public static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (!TYPE.matcher(line).matches() && !HELP.matcher(line).matches()) {
                    throw new IllegalArgumentException("line " + lineNo + ": bad comment: " + line);
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !NAME.matcher(m.group(1)).matches()) {
                throw new IllegalArgumentException("line " + lineNo + ": bad sample: " + line);
            }
            String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            if (samples.put(key, Double.parseDouble(m.group(4).replace("Inf", "Infinity"))) != null) {
                throw new IllegalArgumentException("line " + lineNo + ": duplicate sample: " + key);
            }
        }
        return samples;
    }

    /** The value of the sample of {@code name} whose labels include every given pair. */
    public static double value(Map<String, Double> samples, String name, String... labelPairs) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{") || e.getKey().equals(name))
                .filter(e -> {
                    for (int i = 0; i < labelPairs.length; i += 2) {
                        if (!e.getKey().contains(labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                }).mapToDouble(Map.Entry::getValue).sum();
    }
}
