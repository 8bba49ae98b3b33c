/** Keeps certificates for the service accounts of this node's enrolled workloads issued, renewed and verifiable. */
package dev.meshctl.nodeagent.identity;
