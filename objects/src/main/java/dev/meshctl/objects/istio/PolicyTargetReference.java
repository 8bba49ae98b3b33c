package dev.meshctl.objects.istio;

/**
 * Points a policy at a Gateway (waypoint), GatewayClass or Service instead of at pods.
 * An absent namespace means the policy's own namespace; {@code group} is {@code ""} for core kinds.
 */
public record PolicyTargetReference(String group, String kind, String name, String namespace) {}
