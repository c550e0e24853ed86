package io.sipvane.sip.parse;

/** A set of ASCII characters, tested with two bit masks. */
record CharClass(long low, long high) {

    static CharClass of(String chars) {
        return new CharClass(0, 0).with(chars);
    }

    static CharClass alphanumeric() {
        return of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    }

    CharClass with(String chars) {
        long lo = low;
        long hi = high;
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (c >= 128) {
                throw new IllegalArgumentException("not ASCII: " + c);
            }
            if (c < 64) {
                lo |= 1L << c;
            } else {
                hi |= 1L << (c - 64);
            }
        }
        return new CharClass(lo, hi);
    }

    boolean contains(char c) {
        return c < 64 ? (low & (1L << c)) != 0 : c < 128 && (high & (1L << (c - 64))) != 0;
    }
}
