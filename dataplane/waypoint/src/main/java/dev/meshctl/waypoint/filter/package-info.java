/**
 * Wraps an {@link dev.meshctl.waypoint.HttpService} with one cross-cutting behaviour each: L7 authorization,
 * retries, timeouts, fault injection, header changes.
 */
package dev.meshctl.waypoint.filter;
