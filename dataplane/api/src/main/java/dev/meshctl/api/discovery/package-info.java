/**
 * Defines the config push protocol's gRPC method descriptors and the type URLs of mesh resources.
 *
 * <p>The messages are generated from {@code discovery.proto}; this package holds what protoc would
 * generate with a gRPC plugin, written by hand.
 */
package dev.meshctl.api.discovery;
