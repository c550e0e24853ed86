package io.sipvane.admin.console;

/**
 * HTML output with every value escaped: the only way text reaches a page. Escapes the five
 * characters that matter in element content and in double- or single-quoted attributes.
 */
final class Html {
    private final StringBuilder out = new StringBuilder(4096);

    /** Markup written as is: only literals of the page templates, never data. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** A value, escaped. */
    Html text(Object value) {
        out.append(escape(value == null ? "" : value.toString()));
        return this;
    }

    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
