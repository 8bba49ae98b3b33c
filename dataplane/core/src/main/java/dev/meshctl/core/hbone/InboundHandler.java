package dev.meshctl.core.hbone;

/**
 * Decides on each inbound CONNECT (target check and authorization); called on the connection's event loop, so
 * it must not block.
 */
@FunctionalInterface
public interface InboundHandler {

    /** Returns what to do with {@code request}. */
    InboundDecision decide(ConnectRequest request);
}
