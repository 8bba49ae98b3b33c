/** Connects the control plane to a Kubernetes API server: node-agent authentication by TokenReview and waypoint Deployments. */
package dev.meshctl.controlplane.kube;
