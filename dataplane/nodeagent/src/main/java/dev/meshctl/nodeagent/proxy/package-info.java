/** Binds the node agent's listeners and ties capture, outbound, inbound, live policy and telemetry together. */
package dev.meshctl.nodeagent.proxy;
