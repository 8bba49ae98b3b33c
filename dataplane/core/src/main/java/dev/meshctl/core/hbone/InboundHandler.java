package dev.meshctl.core.hbone;

/**
 * Decides on each inbound CONNECT (target check and authorization); called on the connection's event loop, so
 * it must not block.
 */
@FunctionalInterface
public interface InboundHandler {

    /** Returns what to do with {@code request}. */
    InboundDecision decide(ConnectRequest request);

    /**
     * Observes that the upstream connection of an accepted {@code request} succeeded and its relay started (for
     * telemetry and for closing it later); the default ignores it.
     */
    default void relayed(ConnectRequest request, InboundDecision.Connect decision, HboneRelay relay) {
    }

    /** Observes that the upstream connection of {@code request} failed (answered 503); the default ignores it. */
    default void upstreamFailed(ConnectRequest request, InboundDecision.Connect decision, Throwable cause) {
    }
}
