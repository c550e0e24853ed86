package io.sipvane.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which requests a trunk takes: Request-URI hosts ({@code domains}, exact, case-insensitive),
 * Request-URI user prefixes ({@code numbers}, longest wins; a leading '+' is ignored on both
 * sides), or everything nothing else matched ({@code default}).
 */
public record TrunkMatch(List<String> numbers, List<String> domains, boolean isDefault) {

    public static final TrunkMatch NONE = new TrunkMatch(List.of(), List.of(), false);

    public TrunkMatch {
        numbers = checked(numbers, "numbers", false);
        domains = checked(domains, "domains", true);
    }

    /** The prefix as it is matched: without a leading '+'. */
    public static String normalizeNumber(String number) {
        return number.startsWith("+") ? number.substring(1) : number;
    }

    private static List<String> checked(List<String> values, String field, boolean lowerCase) {
        if (values == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String name = field + "[" + i + "]";
            Checks.notBlank(value, name);
            if (value.chars().anyMatch(c -> c <= ' ' || c == '@' || c == ';')) {
                throw new IllegalArgumentException(name + ": \"" + value + "\" contains a space, '@' or ';'");
            }
            if (!lowerCase && normalizeNumber(value).isEmpty()) {
                throw new IllegalArgumentException(name + ": \"" + value + "\" is an empty prefix (use default: true to match everything)");
            }
            String v = lowerCase ? value.toLowerCase(Locale.ROOT) : value;
            if (out.contains(v)) {
                throw new IllegalArgumentException(name + ": \"" + value + "\" listed twice");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }
}
