package dev.sigfresh;

import java.util.Objects;

/** An HTTP header: a name and a value. Immutable. */
public final class Header {
    private final String name;
    private final String value;

    /**
     * Creates a header.
     *
     * @param name the name (any case)
     * @param value the value
     */
    public Header(String name, String value) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Flat {@code {name0, value0, ...}} for the native seam; null list elements are rejected. */
    static String[] flatten(java.util.List<Header> list) {
        String[] out = new String[list.size() * 2];
        int i = 0;
        for (Header h : list) {
            java.util.Objects.requireNonNull(h, "header");
            out[i++] = h.name;
            out[i++] = h.value;
        }
        return out;
    }

    /**
     * The name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The value (may be secret: {@code x-amz-security-token}).
     *
     * @return the value
     */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header && ((Header) o).name.equals(name) && ((Header) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + value.hashCode();
    }

    /**
     * The name, and the value unless the header carries a secret (security token,
     * authorization).
     *
     * @return a description safe to log
     */
    @Override
    public String toString() {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        boolean secret = n.equals("x-amz-security-token") || n.equals("authorization");
        return name + ": " + (secret ? "<redacted>" : value);
    }
}
