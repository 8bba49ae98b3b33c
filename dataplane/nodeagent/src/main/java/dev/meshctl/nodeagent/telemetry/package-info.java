/** Records each finished connection once: Istio-named TCP metrics and one access-log line. */
package dev.meshctl.nodeagent.telemetry;
