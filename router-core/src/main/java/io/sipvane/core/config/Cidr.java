package io.sipvane.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block ({@code 127.0.0.0/8}, {@code ::1/128}, or a single address). */
public record Cidr(String text, byte[] network, int prefixLength) {

    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: an address or address/prefix)");
        }
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!looksNumeric(address)) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address (host names are not allowed here)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > max) {
                throw new IllegalArgumentException("\"" + text + "\": prefix length \"" + p + "\" (expected: 0.." + max + ")");
            }
            prefix = Integer.parseInt(p);
        }
        return new Cidr(text, mask(bytes, prefix), prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        byte[] masked = mask(candidate, prefixLength);
        for (int i = 0; i < masked.length; i++) {
            if (masked[i] != network[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean looksNumeric(String address) {
        return address.indexOf(':') >= 0 || address.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
