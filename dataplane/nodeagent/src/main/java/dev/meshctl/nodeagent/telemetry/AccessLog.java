package dev.meshctl.nodeagent.telemetry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Receives finished access-log lines; the default writes them to the SLF4J logger {@code access}. */
@FunctionalInterface
public interface AccessLog {

    /** Writes one line. */
    void write(String line);

    /** Returns the log writing to logger {@code access} at INFO. */
    static AccessLog slf4j() {
        Logger logger = LoggerFactory.getLogger("access");
        return logger::info;
    }
}
