package dev.meshctl.core.identity;

import java.util.Objects;

/**
 * A workload identity, {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}.
 *
 * <p>Parsing is strict on purpose: an identity that two parsers could read differently (percent
 * escapes, dot segments, NUL bytes, userinfo, ports, queries) is refused rather than normalized,
 * because authorization policies match principals as literal strings.
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {

    private static final String SCHEME = "spiffe://";
    private static final int MAX_TRUST_DOMAIN = 255;
    private static final int MAX_URI = 2048;

    /** Validates every part; throws {@link IdentityException} naming the bad part. */
    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        checkTrustDomain(trustDomain);
        checkSegment(namespace, "namespace");
        checkSegment(serviceAccount, "service account");
    }

    /** Returns the identity of {@code serviceAccount} in {@code namespace} of {@code trustDomain}. */
    public static SpiffeId of(String trustDomain, String namespace, String serviceAccount) {
        return new SpiffeId(trustDomain, namespace, serviceAccount);
    }

    /**
     * Parses {@code spiffe://<td>/ns/<ns>/sa/<sa>}.
     *
     * @throws IdentityException if the string is not exactly of that form
     */
    public static SpiffeId parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (uri.length() > MAX_URI) {
            throw invalid(uri, "it is longer than " + MAX_URI + " characters");
        }
        if (uri.indexOf('\0') >= 0) {
            throw invalid(uri, "it contains a NUL byte");
        }
        if (uri.indexOf('%') >= 0) {
            throw invalid(uri, "it contains percent-encoding, which SPIFFE IDs must not use");
        }
        if (uri.indexOf('?') >= 0 || uri.indexOf('#') >= 0) {
            throw invalid(uri, "it has a query or fragment");
        }
        if (!uri.startsWith(SCHEME)) {
            throw invalid(uri, "it does not start with '" + SCHEME + "' (the scheme is lowercase)");
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw invalid(uri, "it has no path; expected /ns/<namespace>/sa/<service-account>");
        }
        String authority = rest.substring(0, slash);
        if (authority.indexOf('@') >= 0) {
            throw invalid(uri, "it has userinfo ('@') in the trust domain");
        }
        if (authority.indexOf(':') >= 0) {
            throw invalid(uri, "it has a port in the trust domain");
        }
        String[] path = rest.substring(slash + 1).split("/", -1);
        if (path.length != 4 || !"ns".equals(path[0]) || !"sa".equals(path[2])) {
            throw invalid(uri, "its path is not exactly /ns/<namespace>/sa/<service-account>");
        }
        try {
            return new SpiffeId(authority, path[1], path[3]);
        } catch (IdentityException e) {
            throw invalid(uri, e.getMessage());
        }
    }

    /** Returns the principal that AuthorizationPolicy matches: {@code <td>/ns/<ns>/sa/<sa>}. */
    public String principal() {
        return trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    /** Returns the URI form, {@code spiffe://<td>/ns/<ns>/sa/<sa>}. */
    @Override
    public String toString() {
        return SCHEME + principal();
    }

    /**
     * Checks a trust domain name: lowercase letters, digits, '.', '-', '_'; no empty labels.
     *
     * @throws IdentityException naming the offending character or label
     */
    public static void checkTrustDomain(String td) {
        Objects.requireNonNull(td, "td");
        if (td.isEmpty()) {
            throw new IdentityException("the trust domain is empty");
        }
        if (td.length() > MAX_TRUST_DOMAIN) {
            throw new IdentityException("the trust domain is longer than " + MAX_TRUST_DOMAIN + " characters");
        }
        for (int i = 0; i < td.length(); i++) {
            char c = td.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
            if (!ok) {
                throw new IdentityException("the trust domain '" + printable(td) + "' has character '"
                        + printable(String.valueOf(c)) + "'; only lowercase letters, digits, '.', '-' and '_' are allowed");
            }
        }
        for (String label : td.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw new IdentityException("the trust domain '" + td + "' has an empty label");
            }
        }
    }

    private static void checkSegment(String segment, String what) {
        if (segment.isEmpty()) {
            throw new IdentityException("the " + what + " is empty");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new IdentityException("the " + what + " is a dot segment '" + segment + "'");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
            if (!ok) {
                throw new IdentityException("the " + what + " '" + printable(segment) + "' has character '"
                        + printable(String.valueOf(c)) + "'; only letters, digits, '.', '-' and '_' are allowed");
            }
        }
    }

    private static IdentityException invalid(String uri, String why) {
        return new IdentityException("'" + printable(uri) + "' is not a valid SPIFFE ID: " + why);
    }

    /** Escapes control characters so a hostile identity cannot forge log lines. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && i < 256; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > 256) {
            b.append("...");
        }
        return b.toString();
    }
}
