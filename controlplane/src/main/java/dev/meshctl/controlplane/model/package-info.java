/**
 * Indexes the mesh's input objects into one immutable {@link dev.meshctl.controlplane.model.MeshModel}, kept up
 * to date incrementally, and decides enrollment and waypoint binding from it.
 *
 * <p>Precedence, as in Istio ambient: a pod's {@code istio.io/dataplane-mode} beats its namespace's, and
 * waypoint instances are never captured. For waypoints, the object's own {@code istio.io/use-waypoint} label
 * (Service or Pod, {@code none} opts out) beats a per-service-account waypoint (a Gateway annotated
 * {@code meshctl.dev/service-account}), which beats the namespace's label. A binding whose waypoint has no
 * ready instance is reported ({@link dev.meshctl.controlplane.model.WaypointBinding#ready()} false, with a
 * reason) and traffic goes direct.
 */
package dev.meshctl.controlplane.model;
