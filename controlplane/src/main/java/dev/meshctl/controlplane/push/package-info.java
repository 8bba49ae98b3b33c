/**
 * Pushes per-proxy config snapshots to node agents and waypoints over the delta discovery stream.
 *
 * <p>{@link dev.meshctl.controlplane.push.SnapshotCache} is the seam: the translator sets one
 * {@link dev.meshctl.controlplane.push.Snapshot} per proxy key, and
 * {@link dev.meshctl.controlplane.push.DeltaDiscoveryServer} sends each connected proxy only what
 * changed since its last ACK.
 */
package dev.meshctl.controlplane.push;
