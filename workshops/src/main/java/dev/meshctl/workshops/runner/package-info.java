/** Drives workshops: the interactive step machine with saved progress, unattended runs, summaries and JUnit XML. */
package dev.meshctl.workshops.runner;
