/** Runs labs on real Kubernetes in Docker: kind clusters, reached with fabric8 and the Docker Java client. */
package dev.meshctl.lab.kind;
