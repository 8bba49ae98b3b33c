/**
 * Sends requests to a backend service's endpoints: resolves healthy endpoints, balances load per request, ejects
 * failing endpoints, and speaks HTTP over pooled HBONE streams with the waypoint's identity.
 */
package dev.meshctl.waypoint.upstream;
