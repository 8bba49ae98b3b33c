/** Serves the node agent's admin views (loopback), Prometheus metrics and readiness over small HTTP endpoints. */
package dev.meshctl.nodeagent.admin;
