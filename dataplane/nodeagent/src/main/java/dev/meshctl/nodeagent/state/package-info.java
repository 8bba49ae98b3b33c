/**
 * Indexes the mesh config a node agent received (workloads, services, policies) for the lookups traffic decisions
 * make: by IP, by service VIP, by node, and a service's healthy endpoints.
 */
package dev.meshctl.nodeagent.state;
