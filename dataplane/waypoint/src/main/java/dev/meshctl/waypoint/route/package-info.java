/**
 * Chooses the route rule and backend for a request from the Route resources, with no I/O (Gateway API matching,
 * precedence and weights).
 */
package dev.meshctl.waypoint.route;
