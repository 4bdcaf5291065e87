package io.amifactory.engine.build;

import java.util.Locale;

/** How a build ended (or, while its cleanups run, how it is going to end). */
public enum BuildStatus {
    SUCCEEDED,
    FAILED,
    ABORTED,
    TIMED_OUT,
    /** A dry run that found nothing in the way. */
    DRY_RUN;

    /** The word used in --json output and progress lines: succeeded, failed, aborted, timed-out, dry-run. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True when the AMIs of the build should be kept. */
    public boolean keepsImages() {
        return this == SUCCEEDED;
    }
}
