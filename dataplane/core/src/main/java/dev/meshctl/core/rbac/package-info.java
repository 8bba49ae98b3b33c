/**
 * Decides whether an L4 connection is allowed by the mesh's {@code Authorization} policies, with Istio's evaluation
 * order and no I/O.
 *
 * <pre>{@code
 * Connection c = Connection.of(Optional.of("cluster.local/ns/default/sa/curl"), srcIp,
 *         new InetSocketAddress(podIp, 8080), "default", Map.of("app", "reviews"));
 * Decision d = Authorizer.evaluate(c, state.resources(Authorization.class).values());
 * if (!d.allowed()) log.info("rejected: {}", d.reason());
 * }</pre>
 */
package dev.meshctl.core.rbac;
