/** Runs self-paced guided labs whose every step is checked by machine. */
package dev.meshctl.workshops;
