package io.amifactory.engine.track;

import java.util.Locale;

/** What a check found for one tracked image in one region (docs/tracking.md, "Statuses"). */
public enum CheckStatus {
    /** First sight: recorded as the baseline, fires nothing. */
    BASELINE,
    /** A newer AMI than the one recorded: fires a release event. */
    NEW,
    /** The recorded AMI is still current. */
    UNCHANGED,
    /**
     * The current AMI changed back to one seen before, or to one older than the recorded one (upstream
     * withdrew a release). Recorded, reported, fires nothing: a rebuild on an older base is never wanted.
     */
    REVERTED,
    /** The pair could not be resolved this time; the record is kept as it was. */
    ERROR;

    /** The lower-case name used in JSON and tables. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
