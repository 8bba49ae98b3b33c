/** Installs the mesh on a Kubernetes cluster: renders its manifests and applies or removes them. */
package dev.meshctl.install.kube;
