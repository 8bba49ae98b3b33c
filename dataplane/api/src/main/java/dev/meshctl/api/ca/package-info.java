/** Defines the wire contract of the mesh CA: the CSR request, the chain response and the gRPC method. */
package dev.meshctl.api.ca;
