/** Feeds the control plane the objects it translates: the lab's object store, or a Kubernetes API server. */
package dev.meshctl.controlplane.source;
