package dev.meshctl.lab;

/** Describes one node of a lab: its name, address on the cluster network, pod CIDR and (netns) namespace. */
public record NodeInfo(String name, int index, String ip, String podCidr, String netns) {}
