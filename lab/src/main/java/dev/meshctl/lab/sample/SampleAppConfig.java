package dev.meshctl.lab.sample;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Holds everything a sample application needs to know about itself: where to listen, which role to play,
 * the pod it runs as (downward-API-like values) and where its upstream services are.
 *
 * <pre>{@code
 * SampleAppConfig config = SampleAppConfig.fromEnvironment(Map.of(
 *         "ROLE", "reviews", "POD_LABELS", "app=reviews,version=v2", "PORT", "9080"));
 * }</pre>
 *
 * @param bindAddress    the address to listen on ({@code BIND_ADDRESS}, default {@code 0.0.0.0})
 * @param port           the port to listen on, 0 for any free port ({@code PORT}, default 8080)
 * @param role           the part to play ({@code ROLE}, default {@code echo})
 * @param service        the service name reported in responses ({@code SERVICE}, else label {@code app}, else role)
 * @param version        the version reported in responses ({@code VERSION}, else label {@code version}, else v1)
 * @param podName        {@code POD_NAME}, else {@code HOSTNAME}, else {@code unknown}
 * @param podNamespace   {@code POD_NAMESPACE}, default {@code default}
 * @param nodeName       {@code NODE_NAME}, default {@code unknown}
 * @param podIp          {@code POD_IP}, default {@code unknown}
 * @param serviceAccount {@code SERVICE_ACCOUNT}, default {@code default}
 * @param podLabels      {@code POD_LABELS}, comma-separated {@code key=value} pairs, in the order given
 * @param detailsUrl     {@code DETAILS_URL}, default {@code http://details:9080}
 * @param reviewsUrl     {@code REVIEWS_URL}, default {@code http://reviews:9080}
 * @param ratingsUrl     {@code RATINGS_URL}, default {@code http://ratings:9080}
 */
public record SampleAppConfig(
        String bindAddress,
        int port,
        SampleRole role,
        String service,
        String version,
        String podName,
        String podNamespace,
        String nodeName,
        String podIp,
        String serviceAccount,
        Map<String, String> podLabels,
        URI detailsUrl,
        URI reviewsUrl,
        URI ratingsUrl) {

    public SampleAppConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(podNamespace, "podNamespace");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(podIp, "podIp");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(podLabels, "podLabels");
        checkUpstream("DETAILS_URL", detailsUrl);
        checkUpstream("REVIEWS_URL", reviewsUrl);
        checkUpstream("RATINGS_URL", ratingsUrl);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be between 0 and 65535; got " + port);
        }
        podLabels = Collections.unmodifiableMap(new LinkedHashMap<>(podLabels));
    }

    /** Reads the configuration from environment variables; see the record's parameters for names and defaults. */
    public static SampleAppConfig fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        SampleRole role = SampleRole.parse(value(env, "ROLE", "echo"));
        Map<String, String> labels = parseLabels(value(env, "POD_LABELS", ""));
        return new SampleAppConfig(
                value(env, "BIND_ADDRESS", "0.0.0.0"),
                parsePort(value(env, "PORT", "8080")),
                role,
                value(env, "SERVICE", labels.getOrDefault("app", role.envName())),
                value(env, "VERSION", labels.getOrDefault("version", "v1")),
                value(env, "POD_NAME", value(env, "HOSTNAME", "unknown")),
                value(env, "POD_NAMESPACE", "default"),
                value(env, "NODE_NAME", "unknown"),
                value(env, "POD_IP", "unknown"),
                value(env, "SERVICE_ACCOUNT", "default"),
                labels,
                parseUrl("DETAILS_URL", value(env, "DETAILS_URL", "http://details:9080")),
                parseUrl("REVIEWS_URL", value(env, "REVIEWS_URL", "http://reviews:9080")),
                parseUrl("RATINGS_URL", value(env, "RATINGS_URL", "http://ratings:9080")));
    }

    /** Returns a copy that listens on the given address and port. */
    public SampleAppConfig withListener(String newBindAddress, int newPort) {
        return new SampleAppConfig(newBindAddress, newPort, role, service, version, podName, podNamespace,
                nodeName, podIp, serviceAccount, podLabels, detailsUrl, reviewsUrl, ratingsUrl);
    }

    /** Parses {@code key=value} pairs separated by commas; blank entries are skipped. */
    static Map<String, String> parseLabels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("POD_LABELS entry '" + trimmed
                        + "' is not key=value; write pairs like app=reviews,version=v2");
            }
            labels.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
        }
        return labels;
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORT must be a number between 0 and 65535; got '" + text + "'");
        }
    }

    private static URI parseUrl(String name, String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a valid URL ('" + text
                    + "'); write it like http://details:9080", e);
        }
        checkUpstream(name, uri);
        return uri;
    }

    private static void checkUpstream(String name, URI uri) {
        Objects.requireNonNull(uri, name);
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an http:// URL with a host, like http://details:9080; got '"
                    + uri + "'");
        }
    }
}
