package dev.meshctl.controlplane.ca;

/** Answers where workloads run; the CA asks it before letting a node agent have an identity. */
@FunctionalInterface
public interface WorkloadDirectory {

    /** Returns whether a pod of {@code namespace} running as {@code serviceAccount} is scheduled on {@code node}. */
    boolean runsOnNode(String node, String namespace, String serviceAccount);
}
