package io.jenkins.plugins.amifactory.config;

import hudson.model.Describable;
import hudson.model.Descriptor;
import io.amifactory.engine.track.ImageSource;
import jenkins.model.Jenkins;

/**
 * Where a tracked image's current AMI comes from, as configured in Jenkins: an SSM parameter or
 * DescribeImages filters. Translates to the engine's {@link ImageSource}.
 */
public abstract class ImageSourceConfig implements Describable<ImageSourceConfig> {

    /** The engine's source; throws the engine's InputException for text that does not parse. */
    public abstract ImageSource toEngine();

    @Override
    @SuppressWarnings("unchecked")
    public Descriptor<ImageSourceConfig> getDescriptor() {
        return (Descriptor<ImageSourceConfig>) Jenkins.get().getDescriptorOrDie(getClass());
    }

    /** Base of the two source descriptors, so the tracked-image form can list them. */
    public abstract static class SourceDescriptor extends Descriptor<ImageSourceConfig> {
    }
}
