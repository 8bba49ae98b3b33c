package dev.meshctl.lab.sample;

import java.util.Objects;

/**
 * Decides which endpoint answers a request path, before anything is done about it.
 *
 * @param kind     the endpoint
 * @param argument the status code for {@link Kind#STATUS}, the delay in ms for {@link Kind#DELAY}, the
 *                 numeric id for the bookstore roles (0 when the path has none), else 0
 * @param problem  why the request is refused, for {@link Kind#BAD_REQUEST}; else empty
 */
record SampleRoute(Kind kind, int argument, String problem) {

    /** Caps {@code /delay/{ms}} so a typo cannot hold a connection for hours. */
    static final int MAX_DELAY_MS = 60_000;

    /** Names the endpoints of the sample application. */
    enum Kind { HEALTHZ, HEADERS, STATUS, DELAY, BAD_REQUEST, ECHO, PRODUCTPAGE, DETAILS, REVIEWS, RATINGS }

    SampleRoute {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(problem, "problem");
    }

    /** Picks the endpoint for a path (without query) served by an application playing {@code role}. */
    static SampleRoute decide(String path, SampleRole role) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(role, "role");
        if (path.equals("/healthz")) {
            return of(Kind.HEALTHZ, 0);
        }
        if (path.equals("/headers")) {
            return of(Kind.HEADERS, 0);
        }
        if (path.startsWith("/status/")) {
            return status(path.substring("/status/".length()));
        }
        if (path.startsWith("/delay/")) {
            return delay(path.substring("/delay/".length()));
        }
        switch (role) {
            case PRODUCTPAGE:
                return path.equals("/") || path.equals("/productpage") ? of(Kind.PRODUCTPAGE, 0) : of(Kind.ECHO, 0);
            case DETAILS:
                return of(Kind.DETAILS, trailingId(path));
            case REVIEWS:
                return of(Kind.REVIEWS, trailingId(path));
            case RATINGS:
                return of(Kind.RATINGS, trailingId(path));
            default:
                return of(Kind.ECHO, 0);
        }
    }

    private static SampleRoute status(String text) {
        Integer code = parseNonNegative(text);
        // 1xx are not final answers: a client would wait for the real one, so only 200-599 make sense here.
        if (code == null || code < 200 || code > 599) {
            return bad("/status/{code} needs a code from 200 to 599; got '" + text + "'");
        }
        return of(Kind.STATUS, code);
    }

    private static SampleRoute delay(String text) {
        Integer ms = parseNonNegative(text);
        if (ms == null) {
            return bad("/delay/{ms} needs a whole number of milliseconds (at most " + MAX_DELAY_MS + "); got '"
                    + text + "'");
        }
        return of(Kind.DELAY, Math.min(ms, MAX_DELAY_MS));
    }

    /** Reads the number after the last slash, as in {@code /reviews/7}; 0 when there is none. */
    private static int trailingId(String path) {
        Integer id = parseNonNegative(path.substring(path.lastIndexOf('/') + 1));
        return id == null ? 0 : id;
    }

    /** Parses digits only; saturates at {@code Integer.MAX_VALUE}; returns null for anything else. */
    private static Integer parseNonNegative(String text) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return text.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(text);
    }

    private static SampleRoute of(Kind kind, int argument) {
        return new SampleRoute(kind, argument, "");
    }

    private static SampleRoute bad(String problem) {
        return new SampleRoute(Kind.BAD_REQUEST, 0, problem);
    }
}
