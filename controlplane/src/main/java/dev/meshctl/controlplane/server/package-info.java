/** Runs the control plane: watches the object store, translates on change, serves discovery and the CA over gRPC. */
package dev.meshctl.controlplane.server;
