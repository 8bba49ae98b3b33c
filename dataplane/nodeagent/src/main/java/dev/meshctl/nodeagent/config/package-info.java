/** Supplies the node agent's mesh config, from the control plane's discovery stream or a static file, last good kept. */
package dev.meshctl.nodeagent.config;
