/** The waypoint: terminates HBONE for the services bound to it and applies L7 routing and policy. */
package dev.meshctl.waypoint;
