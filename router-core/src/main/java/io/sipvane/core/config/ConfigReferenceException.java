package io.sipvane.core.config;

/**
 * A broken reference between config objects, located by list, index and field so that the
 * loader can name the YAML path and line, and the API can name the field.
 */
public final class ConfigReferenceException extends IllegalArgumentException {
    private final String list;
    private final int index;
    private final String field;

    ConfigReferenceException(String list, int index, String field, String problem) {
        super(list + "[" + index + "]." + field + ": " + problem);
        this.list = list;
        this.index = index;
        this.field = field;
    }

    public String list() {
        return list;
    }

    public int index() {
        return index;
    }

    public String field() {
        return field;
    }

    /** The message without the list position: {@code field: problem}. */
    public String fieldMessage() {
        return getMessage().substring(list.length() + String.valueOf(index).length() + 3);
    }
}
