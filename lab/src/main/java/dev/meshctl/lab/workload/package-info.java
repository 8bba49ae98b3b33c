/** Decides what pods a lab should run: pods from Deployments, their placement on nodes, and what an image runs. */
package dev.meshctl.lab.workload;
