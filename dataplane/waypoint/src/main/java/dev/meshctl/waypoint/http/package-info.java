/**
 * Serves HTTP/1.1 and HTTP/2 (gRPC included) on an accepted HBONE stream: detects the protocol, reads each request,
 * hands it to the waypoint's request pipeline and writes the answer.
 */
package dev.meshctl.waypoint.http;
