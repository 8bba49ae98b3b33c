/** Installs, removes and checks the mesh on a lab: CA, bootstrap credentials, control plane and node agents. */
package dev.meshctl.install;
