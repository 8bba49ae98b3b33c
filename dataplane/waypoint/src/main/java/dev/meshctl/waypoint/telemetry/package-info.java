/** Records each finished request: Istio's request metrics with {@code reporter="waypoint"} and one access-log line. */
package dev.meshctl.waypoint.telemetry;
