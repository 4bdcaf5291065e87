package io.jenkins.plugins.amifactory.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Job;
import hudson.triggers.Trigger;
import hudson.triggers.TriggerDescriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.amifactory.config.AmiFactoryConfiguration;
import io.jenkins.plugins.amifactory.config.TrackedImageConfig;
import io.jenkins.plugins.amifactory.forms.EngineChecks;
import io.jenkins.plugins.amifactory.forms.FormText;
import io.jenkins.plugins.amifactory.forms.StepForms;
import java.io.ObjectStreamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jenkins.model.ParameterizedJobMixIn;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Starts the job when the AMI Factory poller sees a new upstream AMI of one of {@link #getImages()} (all
 * tracked images when empty) in one of {@link #getRegions()} (all when empty). The trigger holds only
 * configuration: the shared {@link AmiReleasePoller} does the watching, so there is no cron spec here.
 *
 * <p>Pipeline: {@code triggers { amiRelease(images: ['al2023']) }} or
 * {@code properties([pipelineTriggers([amiRelease(images: ['al2023'])])])}.
 */
public final class AmiReleaseTrigger extends Trigger<Job<?, ?>> {
    private ArrayList<String> images;
    private ArrayList<String> regions = new ArrayList<>();

    @DataBoundConstructor
    public AmiReleaseTrigger(@CheckForNull List<String> images) {
        super();
        this.images = clean(images);
    }

    /** A job file written by hand may leave the lists out: they read as empty (every image, every region). */
    @Override
    protected Object readResolve() throws ObjectStreamException {
        images = clean(images);
        regions = clean(regions);
        return super.readResolve();
    }

    /** Tracked image names; empty = every tracked image. */
    public List<String> getImages() {
        return new ArrayList<>(images);
    }

    /** Regions; empty = every region an image is tracked in. */
    public List<String> getRegions() {
        return new ArrayList<>(regions);
    }

    @DataBoundSetter
    public void setRegions(@CheckForNull List<String> regions) {
        this.regions = clean(regions);
    }

    /** For the freestyle form: the lists as space-separated text. */
    public String getImagesText() {
        return FormText.joinWords(images);
    }

    public String getRegionsText() {
        return FormText.joinWords(getRegions());
    }

    boolean matches(String trackedImage, String region) {
        return (images.isEmpty() || images.contains(trackedImage)) && (regions.isEmpty() || regions.contains(region));
    }

    private static ArrayList<String> clean(List<String> values) {
        ArrayList<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                if (v != null && !v.isBlank() && !out.contains(v.trim())) {
                    out.add(v.trim());
                }
            }
        }
        return out;
    }

    @Extension
    @Symbol("amiRelease")
    public static final class DescriptorImpl extends TriggerDescriptor {
        @Override
        public boolean isApplicable(Item item) {
            return item instanceof ParameterizedJobMixIn.ParameterizedJob;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Build when a new upstream AMI is released (AMI Factory)";
        }

        /** The form shows the lists as text; Pipeline and JCasC use the lists directly. */
        @Override
        public Trigger<?> newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            AmiReleaseTrigger trigger = new AmiReleaseTrigger(FormText.words(formData.optString("imagesText")));
            trigger.setRegions(FormText.words(formData.optString("regionsText")));
            return trigger;
        }

        @POST
        public FormValidation doCheckImagesText(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepForms.mayCheck(item, Item.CONFIGURE)) {
                return FormValidation.ok();
            }
            List<String> names = FormText.words(value);
            if (names.isEmpty()) {
                return FormValidation.ok("Empty: any tracked image.");
            }
            Set<String> known = new TreeSet<>();
            for (TrackedImageConfig image : AmiFactoryConfiguration.get().getTrackedImages()) {
                known.add(image.getName());
            }
            List<String> unknown = new ArrayList<>();
            for (String name : names) {
                if (!known.contains(name)) {
                    unknown.add(name);
                }
            }
            return unknown.isEmpty() ? FormValidation.ok()
                    : FormValidation.warning("Not tracked (yet): " + String.join(", ", unknown)
                            + ". Tracked images: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ".");
        }

        @POST
        public FormValidation doCheckRegionsText(@AncestorInPath Item item, @QueryParameter String value) {
            if (!StepForms.mayCheck(item, Item.CONFIGURE)) {
                return FormValidation.ok();
            }
            if (FormText.isBlank(value)) {
                return FormValidation.ok("Empty: any region.");
            }
            return EngineChecks.regions(value);
        }

    }
}
