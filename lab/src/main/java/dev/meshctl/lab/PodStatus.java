package dev.meshctl.lab;

/** Reports one pod as {@code lab status} shows it. */
public record PodStatus(String namespace, String name, String node, String ip, String phase, boolean ready,
    long pid) {}
