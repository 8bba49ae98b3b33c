package dev.meshctl.nodeagent.telemetry;

/** Says which side of a connection this agent reports: outbound for the client's agent, inbound for the server's. */
public enum Direction {
    OUTBOUND("outbound", "source"),
    INBOUND("inbound", "destination");

    private final String logName;
    private final String reporter;

    Direction(String logName, String reporter) {
        this.logName = logName;
        this.reporter = reporter;
    }

    /** Returns the access log's {@code direction} value. */
    public String logName() {
        return logName;
    }

    /** Returns the metrics' {@code reporter} label: {@code source} or {@code destination}. */
    public String reporter() {
        return reporter;
    }
}
