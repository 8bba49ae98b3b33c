package dev.meshctl.waypoint.filter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;

/**
 * Normalizes a request path for authorization matching, as Istio's {@code normalize_path} mesh setting
 * {@code MERGE_SLASHES} plus {@code DECODE_AND_MERGE_SLASHES} does: percent-decodes {@code %2F} / {@code %5C}
 * (and unreserved characters), turns {@code \} into {@code /}, merges repeated slashes, and resolves {@code .}
 * and {@code ..} segments (never above the root).
 *
 * <p>The normalized path is used only to match policies; the request is forwarded with the path it was sent with,
 * so a backend never sees a different URL than the client wrote. Matching the normalized form means
 * {@code //admin}, {@code /a/../admin} and {@code /%2Fadmin} are all treated as {@code /admin} by a DENY rule.
 */
public final class PathNormalizer {

    private PathNormalizer() {
    }

    /** Returns the normalized form of {@code path} (no query). */
    public static String normalize(String path) {
        Objects.requireNonNull(path, "path");
        String decoded = decode(path).replace('\\', '/');
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        boolean trailing = decoded.endsWith("/") || decoded.endsWith("/.") || decoded.endsWith("/..");
        String joined = "/" + String.join("/", segments);
        return trailing && !segments.isEmpty() ? joined + "/" : joined;
    }

    // Decodes %2F, %5C and unreserved characters; other escapes (%25, %3F, ...) stay as written.
    private static String decode(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
                int value = Integer.parseInt(path.substring(i + 1, i + 3), 16);
                if (value == '/' || value == '\\' || isUnreserved(value)) {
                    out.append((char) value);
                    i += 2;
                    continue;
                }
                out.append(path, i, i + 3).replace(out.length() - 2, out.length(),
                        path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
                i += 2;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
