package io.amifactory.engine.prune;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why the planner keeps an image or acts on it; the code appears in the plan JSON. */
public enum Reason {
    // ---- keep
    /** Referenced by an instance, a launch template version, an auto scaling group or an SSM parameter. */
    IN_USE("in-use", true),
    /** Tagged amifactory:keep=true. */
    KEEP_TAG("keep-tag", true),
    /** Still being created. */
    PENDING("pending", true),
    /** One of the newest N launchable images of its family. */
    NEWEST("newest", true),
    /** Younger than the maximum age. */
    YOUNGER_THAN_MAX_AGE("younger-than-max-age", true),
    /** Shared with other accounts, organizations or the public, and the policy keeps shared images. */
    SHARED("shared", true),
    /** Action deprecate, and the image is already deprecated at or before the planned time. */
    ALREADY_DEPRECATED("already-deprecated", true),
    /** Action disable, and the image is already disabled. */
    ALREADY_DISABLED("already-disabled", true),
    /** Action deregister, and EC2 deregistration protection is on. */
    DEREGISTRATION_PROTECTED("deregistration-protected", true),
    // ---- act
    /** Not among the newest N of its family, and older than the maximum age. */
    OLDER_THAN_MAX_AGE("older-than-max-age", false),
    /** Not among the newest N of its family (no maximum age given). */
    NOT_NEWEST("not-newest", false),
    /** The image failed to be created; it can never be launched. */
    FAILED_IMAGE("failed-image", false);

    private final String code;
    private final boolean keeps;

    Reason(String code, boolean keeps) {
        this.code = code;
        this.keeps = keeps;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public boolean keeps() {
        return keeps;
    }
}
