package io.sipvane.sip.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares two object graphs field by field: JAIN-SIP's objects through every field of their
 * classes, collections element by element in order, maps key by key, anything else with
 * {@code equals}, a calendar to the second. Answers where the first difference is, or null.
 */
public final class SameObjects {
    private final IdentityHashMap<Object, Object> compared = new IdentityHashMap<>();

    private SameObjects() {}

    public static String difference(Object expected, Object actual) {
        return new SameObjects().compare(expected, actual, "");
    }

    private String compare(Object a, Object b, String path) {
        if (a == b) {
            return null;
        }
        if (a == null || b == null) {
            return path + ": " + a + " against " + b;
        }
        if (a.getClass() != b.getClass()) {
            return path + ": " + a.getClass().getName() + " against " + b.getClass().getName();
        }
        if (compared.get(a) == b) {
            return null;
        }
        compared.put(a, b);
        if (a.getClass().isArray()) {
            if (Array.getLength(a) != Array.getLength(b)) {
                return path + ": arrays of " + Array.getLength(a) + " and " + Array.getLength(b);
            }
            for (int i = 0; i < Array.getLength(a); i++) {
                String d = compare(Array.get(a, i), Array.get(b, i), path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a instanceof Map<?, ?> ma) {
            Map<?, ?> mb = (Map<?, ?>) b;
            if (!ma.keySet().equals(mb.keySet())) {
                return path + ": keys " + ma.keySet() + " against " + mb.keySet();
            }
            List<Object> keysInOrder = new ArrayList<>(ma.keySet());
            List<Object> otherOrder = new ArrayList<>(mb.keySet());
            if (!keysInOrder.equals(otherOrder)) {
                return path + ": key order " + keysInOrder + " against " + otherOrder;
            }
            for (Object key : keysInOrder) {
                String d = compare(ma.get(key), mb.get(key), path + "{" + key + "}");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a instanceof Collection<?> ca) {
            Collection<?> cb = (Collection<?>) b;
            if (ca.size() != cb.size()) {
                return path + ": " + ca.size() + " elements against " + cb.size();
            }
            Iterator<?> ib = cb.iterator();
            int i = 0;
            for (Object element : ca) {
                String d = compare(element, ib.next(), path + "[" + i++ + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a instanceof Calendar ca) {
            // JAIN-SIP's Date parser leaves in the milliseconds of the moment it ran
            long seconds = ca.getTimeInMillis() / 1000;
            long otherSeconds = ((Calendar) b).getTimeInMillis() / 1000;
            return seconds == otherSeconds ? null : path + ": " + ca.getTime() + " against " + ((Calendar) b).getTime();
        }
        String name = a.getClass().getName();
        if (!name.startsWith("gov.nist.") && !name.startsWith("javax.sip.")) {
            return a.equals(b) ? null : path + ": " + a + " against " + b;
        }
        for (Class<?> c = a.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                try {
                    String d = compare(field.get(a), field.get(b), path + "." + field.getName());
                    if (d != null) {
                        return d;
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return null;
    }
}
