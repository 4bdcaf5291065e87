package io.jenkins.plugins.amifactory.forms;

import hudson.util.FormValidation;
import io.amifactory.engine.aws.QueueUrls;
import io.amifactory.engine.input.InputException;
import io.amifactory.engine.track.ImageSource;
import io.amifactory.engine.track.TrackedImagesLoader;
import java.util.List;
import java.util.Map;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Form validation that asks the engine. Each check validates one field next to placeholder values the
 * engine accepts, so whatever the engine rejects is about that field, and the rules stay in one place
 * (the engine's {@link TrackedImagesLoader#validate}).
 */
@Restricted(NoExternalUse.class)
public final class EngineChecks {
    public static final String PLACEHOLDER_NAME = "placeholder";
    static final ImageSource PLACEHOLDER_SOURCE = new ImageSource.Parameter("/aws/service/placeholder/image_id");
    static final String PLACEHOLDER_ROLE = "arn:aws:iam::123456789012:role/placeholder";

    private EngineChecks() {
    }

    public static FormValidation name(String name) {
        return check(() -> TrackedImagesLoader.validate(name, PLACEHOLDER_SOURCE, List.of(), null, null));
    }

    public static FormValidation regions(String regions) {
        List<String> list = FormText.words(regions);
        return check(() -> TrackedImagesLoader.validate(PLACEHOLDER_NAME, PLACEHOLDER_SOURCE, list, null, null));
    }

    public static FormValidation roleArn(String roleArn) {
        if (FormText.isBlank(roleArn)) {
            return FormValidation.ok();
        }
        return check(() -> TrackedImagesLoader.validate(PLACEHOLDER_NAME, PLACEHOLDER_SOURCE, List.of(),
                roleArn.trim(), null));
    }

    /**
     * A role and its external id as the engine reads them, for values bound without a form (JCasC, the REST API).
     *
     * @throws IllegalArgumentException naming {@code where} and the field, when the engine refuses them
     */
    public static void requireIdentity(String where, String roleArn, String externalId) {
        if (FormText.isBlank(roleArn) && !FormText.isBlank(externalId)) {
            throw new IllegalArgumentException(where + ".externalId: only goes with a role ARN");
        }
        try {
            TrackedImagesLoader.validate(PLACEHOLDER_NAME, PLACEHOLDER_SOURCE, List.of(), FormText.blankToNull(roleArn),
                    FormText.blankToNull(externalId));
        } catch (InputException e) {
            throw new IllegalArgumentException(where + "." + e.field() + ": " + e.problem(), e);
        }
    }

    /**
     * Region names as the engine reads them, for values bound without a form.
     *
     * @throws IllegalArgumentException naming {@code where} when the engine refuses one
     */
    public static void requireRegions(String where, String regions) {
        try {
            TrackedImagesLoader.validate(PLACEHOLDER_NAME, PLACEHOLDER_SOURCE, FormText.words(regions), null, null);
        } catch (InputException e) {
            throw new IllegalArgumentException(where + ": " + e.problem(), e);
        }
    }

    /** An external id is only meaningful with a role; checked next to the form's role, or a placeholder. */
    public static FormValidation externalId(String externalId, String roleArn) {
        if (FormText.isBlank(externalId)) {
            return FormValidation.ok();
        }
        String role = FormText.isBlank(roleArn) ? PLACEHOLDER_ROLE : roleArn.trim();
        try {
            TrackedImagesLoader.validate(PLACEHOLDER_NAME, PLACEHOLDER_SOURCE, List.of(), role, externalId.trim());
        } catch (InputException e) {
            return FormValidation.error(e.problem());
        }
        return FormText.isBlank(roleArn)
                ? FormValidation.warning("Used only together with a role ARN.")
                : FormValidation.ok();
    }

    public static FormValidation notificationQueue(String url) {
        if (FormText.isBlank(url)) {
            return FormValidation.ok("Empty: new AMIs are noticed at the next poll.");
        }
        String problem = QueueUrls.problem(url.trim());
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    static FormValidation source(ImageSource source) {
        return check(() -> TrackedImagesLoader.validate(PLACEHOLDER_NAME, source, List.of(), null, null));
    }

    public static FormValidation parameterPath(String path) {
        if (FormText.isBlank(path)) {
            return FormValidation.error("Required: the SSM parameter whose value is the AMI id.");
        }
        return source(new ImageSource.Parameter(path.trim()));
    }

    public static FormValidation filters(String filterLines, String owners, boolean includeDeprecated) {
        Map<String, List<String>> filters;
        try {
            filters = FormText.filterLines("filters", filterLines);
        } catch (InputException e) {
            return FormValidation.error(e.getMessage());
        }
        return source(new ImageSource.Filters(filters, FormText.words(owners), includeDeprecated));
    }

    public static FormValidation owners(String owners) {
        ImageSource probe = new ImageSource.Filters(Map.of("name", List.of("placeholder-*")), FormText.words(owners), false);
        return source(probe);
    }

    private static FormValidation check(Runnable validation) {
        try {
            validation.run();
            return FormValidation.ok();
        } catch (InputException e) {
            return FormValidation.error(e.problem());
        }
    }
}
