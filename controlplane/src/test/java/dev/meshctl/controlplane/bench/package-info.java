/**
 * Measures how fast and how cheaply a mesh change reaches every node agent: translation, push and ACK, in-process.
 */
package dev.meshctl.controlplane.bench;
