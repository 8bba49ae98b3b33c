/** Accepts connections for local enrolled pods (HBONE and plaintext), checks target, identity and L4 policy. */
package dev.meshctl.nodeagent.inbound;
