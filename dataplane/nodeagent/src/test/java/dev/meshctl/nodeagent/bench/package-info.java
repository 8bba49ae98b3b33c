/** Measures the node agent's data path in-process: added latency, CPU per request rate and bulk throughput. */
package dev.meshctl.nodeagent.bench;
