/** Runs local multi-node clusters for the mesh behind one {@link dev.meshctl.lab.ClusterProvider} interface. */
package dev.meshctl.lab;
