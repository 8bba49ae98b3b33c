/**
 * Runs the mesh CA: signs workload certificates for authenticated, authorized callers over gRPC.
 */
package dev.meshctl.controlplane.ca;
