package dev.meshctl.core.rbac;

import dev.meshctl.api.mesh.StringMatch;
import java.util.Objects;
import java.util.Optional;

/** Matches principals and namespaces against {@link StringMatch}es, literally (a dot is only a dot). */
public final class StringMatchers {

    private StringMatchers() {
    }

    /**
     * Converts an AuthorizationPolicy string ({@code *}, {@code prefix*}, {@code *suffix} or an exact value) into a
     * {@link StringMatch}, as Istio reads it.
     */
    public static StringMatch fromIstio(String value) {
        Objects.requireNonNull(value, "value");
        if (value.equals("*")) {
            return StringMatch.newBuilder().setPresence(true).build();
        }
        if (value.startsWith("*")) {
            return StringMatch.newBuilder().setSuffix(value.substring(1)).build();
        }
        if (value.endsWith("*")) {
            return StringMatch.newBuilder().setPrefix(value.substring(0, value.length() - 1)).build();
        }
        return StringMatch.newBuilder().setExact(value).build();
    }

    /** Returns whether {@code value} matches; an absent value matches nothing, not even a presence check. */
    public static boolean matches(StringMatch match, Optional<String> value) {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.get().isEmpty()) {
            return false;
        }
        String v = value.get();
        return switch (match.getMatchTypeCase()) {
            case EXACT -> v.equals(match.getExact());
            case PREFIX -> v.startsWith(match.getPrefix());
            case SUFFIX -> v.endsWith(match.getSuffix());
            case PRESENCE -> match.getPresence();
            // An empty StringMatch says nothing: treat it as matching nothing rather than everything.
            case MATCHTYPE_NOT_SET -> false;
        };
    }
}
