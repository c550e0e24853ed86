package io.sipvane.sip.parse;

/**
 * The headers every call carries, found by name (long or compact, any case) without the
 * stock parser's lookup. {@link HeaderScanner} reads the common shapes of all but Content-Type.
 */
public enum CommonHeader {
    VIA, FROM, TO, CALL_ID, CSEQ, MAX_FORWARDS, CONTACT, ROUTE, RECORD_ROUTE, CONTENT_TYPE, CONTENT_LENGTH;

    /** The common header this line is, or null for any other (or no name at all). */
    public static CommonHeader of(String header) {
        int colon = header.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        int end = colon;
        while (end > 0 && (header.charAt(end - 1) == ' ' || header.charAt(end - 1) == '\t')) {
            end--;
        }
        return switch (end) {
            case 1 -> switch (Character.toLowerCase(header.charAt(0))) {
                case 'v' -> VIA;
                case 'f' -> FROM;
                case 't' -> TO;
                case 'i' -> CALL_ID;
                case 'm' -> CONTACT;
                case 'l' -> CONTENT_LENGTH;
                case 'c' -> CONTENT_TYPE;
                default -> null;
            };
            case 2 -> named(header, "To") ? TO : null;
            case 3 -> named(header, "Via") ? VIA : null;
            case 4 -> named(header, "From") ? FROM : named(header, "CSeq") ? CSEQ : null;
            case 5 -> named(header, "Route") ? ROUTE : null;
            case 7 -> named(header, "Call-ID") ? CALL_ID : named(header, "Contact") ? CONTACT : null;
            case 12 -> named(header, "Max-Forwards") ? MAX_FORWARDS
                    : named(header, "Content-Type") ? CONTENT_TYPE
                    : named(header, "Record-Route") ? RECORD_ROUTE : null;
            case 14 -> named(header, "Content-Length") ? CONTENT_LENGTH : null;
            default -> null;
        };
    }

    private static boolean named(String header, String name) {
        return header.regionMatches(true, 0, name, 0, name.length());
    }
}
