/** Keeps a lab's own state (nodes, counters) in its state directory and serialises commands on it. */
package dev.meshctl.lab.state;
