package dev.meshctl.nodeagent.proxy;

import dev.meshctl.nodeagent.capture.CommandRunner;
import dev.meshctl.nodeagent.capture.ProcessRunner;
import dev.meshctl.nodeagent.telemetry.AccessLog;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Holds the seams between the proxy and the host: where a captured connection was going, where a next hop is
 * dialled, how commands run, where access-log lines go and what time it is. {@link #host()} is the real host;
 * in-process tests replace the first two because loopback listeners cannot learn an original destination.
 *
 * @param originalDestinations gives a captured connection's original destination
 * @param dialAddresses maps an address the proxy is about to dial (e.g. {@code podIP:15008}) to the one it dials
 * @param commands runs iptables and ip for capture
 * @param accessLog receives one line per finished connection
 * @param clock times connections
 */
public record ProxyHooks(OriginalDestinations originalDestinations, UnaryOperator<InetSocketAddress> dialAddresses,
                         CommandRunner commands, AccessLog accessLog, Clock clock) {

    /** Checks every part. */
    public ProxyHooks {
        Objects.requireNonNull(originalDestinations, "originalDestinations");
        Objects.requireNonNull(dialAddresses, "dialAddresses");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(clock, "clock");
    }

    /** Returns the real host: TPROXY'd local addresses, direct dialling, real commands, the {@code access} logger. */
    public static ProxyHooks host() {
        return new ProxyHooks(OriginalDestinations.LOCAL_ADDRESS, UnaryOperator.identity(), new ProcessRunner(),
                AccessLog.slf4j(), Clock.systemUTC());
    }

    /** Returns a copy taking original destinations from {@code destinations}. */
    public ProxyHooks withOriginalDestinations(OriginalDestinations destinations) {
        return new ProxyHooks(destinations, dialAddresses, commands, accessLog, clock);
    }

    /** Returns a copy dialling {@code dial.apply(address)} instead of {@code address}. */
    public ProxyHooks withDialAddresses(UnaryOperator<InetSocketAddress> dial) {
        return new ProxyHooks(originalDestinations, dial, commands, accessLog, clock);
    }

    /** Returns a copy writing access-log lines to {@code log}. */
    public ProxyHooks withAccessLog(AccessLog log) {
        return new ProxyHooks(originalDestinations, dialAddresses, commands, log, clock);
    }

    /** Returns a copy running capture commands with {@code runner}. */
    public ProxyHooks withCommands(CommandRunner runner) {
        return new ProxyHooks(originalDestinations, dialAddresses, runner, accessLog, clock);
    }

    /** Tells where an accepted, captured connection was originally going. */
    @FunctionalInterface
    public interface OriginalDestinations {
        /** Under TPROXY the accepted socket's local address is the original destination. */
        OriginalDestinations LOCAL_ADDRESS = (source, local) -> local;

        /** Returns the original destination of a connection from {@code source} accepted at {@code local}. */
        InetSocketAddress of(InetSocketAddress source, InetSocketAddress local);
    }
}
