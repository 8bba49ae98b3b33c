/**
 * Receives the proxy's config from the control plane's delta stream and keeps the last good state.
 *
 * <p>{@link dev.meshctl.core.config.ConfigClient} subscribes, validates, ACKs or NACKs, and
 * reconnects; {@link dev.meshctl.core.config.ConfigState} is the immutable result the proxy reads.
 */
package dev.meshctl.core.config;
