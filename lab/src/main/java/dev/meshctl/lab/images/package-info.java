/** Builds the mesh's container image with Jib from the meshctl jar, to a Docker daemon or a tarball. */
package dev.meshctl.lab.images;
