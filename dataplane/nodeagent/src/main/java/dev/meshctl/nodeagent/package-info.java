/** The node agent: captures enrolled pods' TCP, carries it in HBONE tunnels, enforces L4 policy, reports telemetry. */
package dev.meshctl.nodeagent;
