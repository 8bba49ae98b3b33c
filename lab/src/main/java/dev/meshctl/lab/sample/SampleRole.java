package dev.meshctl.lab.sample;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/** Names the part a sample application plays: the echo or one service of the bookstore demo. */
public enum SampleRole {
    ECHO,
    PRODUCTPAGE,
    DETAILS,
    REVIEWS,
    RATINGS;

    /** Returns the name used in the {@code ROLE} environment variable, e.g. {@code reviews}. */
    public String envName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@code ROLE} value, ignoring case and surrounding blanks. */
    public static SampleRole parse(String value) {
        Objects.requireNonNull(value, "value");
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (SampleRole role : values()) {
            if (role.envName().equals(wanted)) {
                return role;
            }
        }
        throw new IllegalArgumentException("ROLE must be one of "
                + Arrays.stream(values()).map(SampleRole::envName).collect(Collectors.joining(", "))
                + "; got '" + value + "'");
    }
}
