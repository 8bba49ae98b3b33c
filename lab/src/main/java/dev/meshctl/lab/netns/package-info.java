/** Runs a lab in Linux network namespaces: a bridge namespace, one namespace per node and per pod, no Docker. */
package dev.meshctl.lab.netns;
