package io.sipvane.sip.parse;

/**
 * A position in one line of a message, with the character classes the scanners accept.
 * Only ASCII is in any class: a line with anything else goes to the stock parser.
 */
final class Cursor {
    /** RFC 3261 token: what JAIN-SIP's lexer reads as one ID. */
    static final CharClass TOKEN = CharClass.alphanumeric().with("-.!%*_+`'~");
    /** A host name or IPv4 address as JAIN-SIP reads one (its domain-label characters). */
    static final CharClass DOMAIN = CharClass.alphanumeric().with("-._");
    /** The user part of a SIP URI (unreserved and user-unreserved, no escapes). */
    static final CharClass USER = CharClass.alphanumeric().with("-_.!~*'()&?+$#/,;=");
    /** The password of a SIP URI's user part (no escapes). */
    static final CharClass PASSWORD = CharClass.alphanumeric().with("-_.!~*'()&=+$,");
    /** A SIP URI parameter's name or value (no escapes). */
    static final CharClass URI_PARAMETER = CharClass.alphanumeric().with("-_.!~*'()[]/:&+$");
    static final CharClass DIGIT = CharClass.of("0123456789");

    final String text;
    int pos;

    Cursor(String text, int pos) {
        this.text = text;
        this.pos = pos;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    /** The character here, or NUL at the end. */
    char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    /** Steps over {@code c} if it is here. */
    boolean take(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Steps over {@code s} if it is here, exactly. */
    boolean take(String s) {
        if (text.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    /** Steps over spaces and tabs. */
    void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    /** Steps over the run of {@code chars} here and answers its start. */
    int skip(CharClass chars) {
        int start = pos;
        while (pos < text.length() && chars.contains(text.charAt(pos))) {
            pos++;
        }
        return start;
    }

    /** The run of {@code chars} here, or null if there is none. */
    String run(CharClass chars) {
        int start = skip(chars);
        return pos == start ? null : text.substring(start, pos);
    }
}
