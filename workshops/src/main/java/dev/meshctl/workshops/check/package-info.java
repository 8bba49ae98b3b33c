/** Runs probes (commands, HTTP from pods, repeats, captures, JSON queries) and judges their results. */
package dev.meshctl.workshops.check;
