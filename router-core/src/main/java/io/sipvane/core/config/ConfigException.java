package io.sipvane.core.config;

/**
 * An invalid config file: says where ({@code trunks[0].match.numbers[2]}, line 14) and what.
 */
public final class ConfigException extends Exception {
    private final String path;
    private final int line;

    public ConfigException(String path, int line, String problem) {
        super(format(path, line, problem));
        this.path = path;
        this.line = line;
    }

    /** The YAML path of the offending node; empty for the document itself. */
    public String path() {
        return path;
    }

    /** 1-based line number, or 0 when unknown. */
    public int line() {
        return line;
    }

    private static String format(String path, int line, String problem) {
        StringBuilder sb = new StringBuilder();
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        if (line > 0) {
            sb.append("line ").append(line).append(": ");
        }
        return sb.append(problem).toString();
    }
}
