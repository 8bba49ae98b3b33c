package dev.meshctl.core.hbone;

import java.net.InetSocketAddress;
import java.util.Optional;

/** Converts between {@code :authority} strings ({@code host:port}, {@code [v6]:port}) and addresses. */
final class Authority {

    private Authority() {
    }

    /** Parses {@code authority} into an unresolved address; empty when it is not {@code host:port}. */
    static Optional<InetSocketAddress> parse(CharSequence authority) {
        if (authority == null) {
            return Optional.empty();
        }
        String s = authority.toString();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            return Optional.empty();
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
            return Optional.empty();
        }
        if (host.isEmpty()) {
            return Optional.empty();
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(InetSocketAddress.createUnresolved(host, port));
    }

    /** Formats {@code address} as {@code ip:port}, bracketing IPv6. */
    static String format(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
