/** Programs and removes the TPROXY rules and policy routing that send enrolled pods' TCP to the node agent. */
package dev.meshctl.nodeagent.capture;
