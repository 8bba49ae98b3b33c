package dev.meshctl.lab.sample;

import java.util.Objects;

/** Formats the one line written per finished request: method, path, status, duration, client, protocol. */
final class AccessLog {

    private AccessLog() {
    }

    /** Returns e.g. {@code GET /productpage 200 12ms 10.0.1.7:41812 HTTP/1.1}. */
    static String line(String method, String path, int status, long durationMillis, String client, String protocol) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        return method + ' ' + path + ' ' + status + ' ' + durationMillis + "ms " + client + ' ' + protocol;
    }
}
