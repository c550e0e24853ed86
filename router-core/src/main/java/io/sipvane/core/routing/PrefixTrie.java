package io.sipvane.core.routing;

import java.util.Arrays;

/**
 * Longest-prefix lookup of called numbers. Immutable once built.
 *
 * <p>Implementation note: each node keeps its child characters sorted in a {@code char[]}
 * and searches them with a binary search; a lookup walks the number once and remembers the
 * deepest node with a value. No allocation, no hashing, no substrings.
 */
final class PrefixTrie<V> {
    private final Node<V> root = new Node<>();

    void put(String prefix, V value) {
        Node<V> node = root;
        for (int i = 0; i < prefix.length(); i++) {
            node = node.childOrCreate(prefix.charAt(i));
        }
        node.value = value;
    }

    /** The value of the longest stored prefix of {@code key} starting at {@code from}. */
    V longestPrefixOf(String key, int from) {
        Node<V> node = root;
        V best = root.value;
        for (int i = from; i < key.length() && node != null; i++) {
            node = node.child(key.charAt(i));
            if (node != null && node.value != null) {
                best = node.value;
            }
        }
        return best;
    }

    private static final class Node<V> {
        private char[] keys = new char[0];
        @SuppressWarnings("unchecked")
        private Node<V>[] children = new Node[0];
        private V value;

        Node<V> child(char c) {
            int i = Arrays.binarySearch(keys, c);
            return i >= 0 ? children[i] : null;
        }

        Node<V> childOrCreate(char c) {
            int i = Arrays.binarySearch(keys, c);
            if (i >= 0) {
                return children[i];
            }
            int at = -i - 1;
            char[] k = new char[keys.length + 1];
            @SuppressWarnings("unchecked")
            Node<V>[] ch = new Node[children.length + 1];
            System.arraycopy(keys, 0, k, 0, at);
            System.arraycopy(children, 0, ch, 0, at);
            k[at] = c;
            ch[at] = new Node<>();
            System.arraycopy(keys, at, k, at + 1, keys.length - at);
            System.arraycopy(children, at, ch, at + 1, children.length - at);
            keys = k;
            children = ch;
            return ch[at];
        }
    }
}
