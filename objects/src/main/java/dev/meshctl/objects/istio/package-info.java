/**
 * Models Istio's {@code security.istio.io} policy objects (AuthorizationPolicy, PeerAuthentication) exactly as
 * users write them in YAML, so that examples copied from Istio's documentation parse unchanged.
 */
package dev.meshctl.objects.istio;
