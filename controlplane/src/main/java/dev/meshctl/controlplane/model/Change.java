package dev.meshctl.controlplane.model;

/**
 * Records one object's change between two models: {@code before} null when it was added, {@code after} null when
 * it was removed.
 *
 * @param key {@code namespace/name} (a Namespace's name)
 */
record Change<T>(String key, T before, T after) {}
