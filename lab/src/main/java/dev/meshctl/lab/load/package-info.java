/** Generates fixed-rate HTTP/1.1 load for benchmarks and reports latency percentiles without coordinated omission. */
package dev.meshctl.lab.load;
