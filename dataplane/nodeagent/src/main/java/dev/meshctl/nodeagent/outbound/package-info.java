/**
 * Decides, from mesh state alone, where a captured outbound connection goes: an HBONE tunnel to a pod or a waypoint,
 * plain TCP, or nowhere.
 */
package dev.meshctl.nodeagent.outbound;
