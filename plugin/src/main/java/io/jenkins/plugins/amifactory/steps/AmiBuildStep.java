package io.jenkins.plugins.amifactory.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.amifactory.engine.input.InputException;
import io.jenkins.plugins.amifactory.forms.FormText;
import io.jenkins.plugins.amifactory.forms.RequestChecks;
import io.jenkins.plugins.amifactory.runners.AmiBuildRequest;
import io.jenkins.plugins.amifactory.runners.EngineArguments;
import io.jenkins.plugins.amifactory.runners.PlainValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code amiBuild}: builds one AMI with the engine's build machine and returns
 * {@code [name:, buildId:, status:, region:, imageId:, images: [region: ami], sourceImage:, imageName:, warnings:]}.
 *
 * <p>The build is described either by named parameters, one per build-spec key of docs/building.md
 * ({@code imageName}, {@code source}, {@code userData}, {@code instance: [type: ...]}, {@code copies}, ...), or by
 * {@code spec:} (a Map, or a workspace file in our YAML/JSON) or {@code payload:} (seed 001's payload, Map or
 * file), with {@code name} picking one build of several. The wait holds no thread and survives a controller
 * restart ({@link AmiBuildExecution}).
 */
public final class AmiBuildStep extends AmiStep {
    private String name;
    private String imageName;
    private String source;
    private String userData;
    private String userDataFile;
    private String bootstrapUrl;
    private Object ssmCommand;
    private String automationDocument;
    private Object automation;
    private String completion;
    private Object instance;
    private Object image;
    private List<Object> copies;
    private Object share;
    private List<String> accounts;
    private List<String> publish;
    private String timeout;
    private boolean dryRun;
    private Object spec;
    private Object payload;

    @DataBoundConstructor
    public AmiBuildStep() {
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        try {
            return new AmiBuildExecution(context, AmiBuildRequest.of(this), access());
        } catch (InputException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** The named build options, keyed as in a spec; unset ones left out. */
    public LinkedHashMap<String, Object> buildOptions() {
        return new EngineArguments("amiBuild")
                .put("name", name)
                .put("imageName", imageName)
                .put("source", source)
                .put("userData", userData)
                .put("bootstrapUrl", bootstrapUrl)
                .put("ssmCommand", ssmCommand)
                .put("automationDocument", automationDocument)
                .put("automation", automation)
                .put("completion", completion)
                .put("instance", instance)
                .put("image", image)
                .put("copies", copies)
                .put("share", share)
                .put("accounts", accounts)
                .put("publish", publish)
                .put("timeout", timeout)
                .flag("dryRun", dryRun)
                .map();
    }

    // ---- build-spec keys (docs/building.md), as named parameters

    @CheckForNull
    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = FormText.blankToNull(name);
    }

    @CheckForNull
    public String getImageName() {
        return imageName;
    }

    @DataBoundSetter
    public void setImageName(String imageName) {
        this.imageName = FormText.blankToNull(imageName);
    }

    /** An AMI id, {@code ssm:/parameter/path} or a tracked image name; filters go in {@code spec}. */
    @CheckForNull
    public String getSource() {
        return source;
    }

    @DataBoundSetter
    public void setSource(String source) {
        this.source = FormText.blankToNull(source);
    }

    @CheckForNull
    public String getUserData() {
        return userData;
    }

    @DataBoundSetter
    public void setUserData(String userData) {
        this.userData = userData == null || userData.isBlank() ? null : userData;
    }

    /** A workspace file whose text is the user data script (needs a {@code node}). */
    @CheckForNull
    public String getUserDataFile() {
        return userDataFile;
    }

    @DataBoundSetter
    public void setUserDataFile(String userDataFile) {
        this.userDataFile = FormText.blankToNull(userDataFile);
    }

    @CheckForNull
    public String getBootstrapUrl() {
        return bootstrapUrl;
    }

    @DataBoundSetter
    public void setBootstrapUrl(String bootstrapUrl) {
        this.bootstrapUrl = FormText.blankToNull(bootstrapUrl);
    }

    /** A script, or a Map {@code [script:]} / {@code [commands: [...]]} with an optional {@code document}. */
    @CheckForNull
    public Object getSsmCommand() {
        return ssmCommand;
    }

    @DataBoundSetter
    public void setSsmCommand(Object ssmCommand) {
        this.ssmCommand = ssmCommand;
    }

    @CheckForNull
    public String getAutomationDocument() {
        return automationDocument;
    }

    @DataBoundSetter
    public void setAutomationDocument(String automationDocument) {
        this.automationDocument = FormText.blankToNull(automationDocument);
    }

    /** A Map: {@code parameters}, {@code assumeRole}, {@code imageIdOutput}. */
    @CheckForNull
    public Object getAutomation() {
        return automation;
    }

    @DataBoundSetter
    public void setAutomation(Object automation) {
        this.automation = automation;
    }

    /** {@code marker} (default) or {@code stop}. */
    @CheckForNull
    public String getCompletion() {
        return completion;
    }

    @DataBoundSetter
    public void setCompletion(String completion) {
        this.completion = FormText.blankToNull(completion);
    }

    /** A Map: type, subnet, securityGroups, profile, keyPair, rootVolume, imdsV2, tags. */
    @CheckForNull
    public Object getInstance() {
        return instance;
    }

    @DataBoundSetter
    public void setInstance(Object instance) {
        this.instance = instance;
    }

    /** A Map: description, tags, snapshotTags, encrypted, kmsKey, noReboot, deprecateAfter. */
    @CheckForNull
    public Object getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(Object image) {
        this.image = image;
    }

    /** Regions to copy to, or Maps {@code [region:, kmsKey:]}. */
    @CheckForNull
    public List<Object> getCopies() {
        return copies == null ? null : new ArrayList<>(copies);
    }

    @DataBoundSetter
    public void setCopies(List<Object> copies) {
        this.copies = copies == null || copies.isEmpty() ? null : new ArrayList<>(copies);
    }

    /** A Map: accounts, organizations, organizationalUnits, snapshots. */
    @CheckForNull
    public Object getShare() {
        return share;
    }

    @DataBoundSetter
    public void setShare(Object share) {
        this.share = share;
    }

    /** Account ids to share with (seed 001's {@code accounts}). */
    @CheckForNull
    public List<String> getAccounts() {
        return accounts;
    }

    @DataBoundSetter
    public void setAccounts(List<String> accounts) {
        this.accounts = PlainValues.strings(accounts);
    }

    /** SSM parameter path templates the new AMI id is written to. */
    @CheckForNull
    public List<String> getPublish() {
        return publish;
    }

    @DataBoundSetter
    public void setPublish(List<String> publish) {
        this.publish = PlainValues.strings(publish);
    }

    /** For the whole build: {@code 90m}, {@code 1h30m}; default 60m. */
    @CheckForNull
    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = FormText.blankToNull(timeout);
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    // ---- a whole spec instead

    /** A Map (one build, {@code builds:} or {@code amis:}), or the path of a YAML/JSON file in the workspace. */
    @CheckForNull
    public Object getSpec() {
        return spec;
    }

    @DataBoundSetter
    public void setSpec(Object spec) {
        this.spec = spec instanceof String s && s.isBlank() ? null : spec;
    }

    /** Seed 001's payload {@code {"amis": [...]}}: a Map, or the path of a JSON file in the workspace. */
    @CheckForNull
    public Object getPayload() {
        return payload;
    }

    @DataBoundSetter
    public void setPayload(Object payload) {
        this.payload = payload instanceof String s && s.isBlank() ? null : payload;
    }

    // ---- the Snippet Generator's text fields

    public String getCopiesText() {
        return copies == null ? "" : String.join(" ", copies.stream().map(String::valueOf).toList());
    }

    public String getAccountsText() {
        return FormText.joinWords(accounts);
    }

    public String getPublishText() {
        return FormText.joinWords(publish);
    }

    @Extension
    @Symbol("amiBuild")
    public static final class DescriptorImpl extends AmiStepDescriptor {
        @Override
        public String getFunctionName() {
            return "amiBuild";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Build an AMI (AMI Factory)";
        }

        /** The form has text where Pipeline takes lists; maps (instance, image, ...) are Pipeline-only. */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject form) throws FormException {
            AmiBuildStep step = new AmiBuildStep();
            step.bindCommon(form);
            step.setName(form.optString("name"));
            step.setImageName(form.optString("imageName"));
            step.setSource(form.optString("source"));
            step.setUserData(form.optString("userData"));
            step.setUserDataFile(form.optString("userDataFile"));
            step.setBootstrapUrl(form.optString("bootstrapUrl"));
            step.setAutomationDocument(form.optString("automationDocument"));
            step.setCompletion(form.optString("completion"));
            step.setCopies(new ArrayList<>(FormText.words(form.optString("copiesText"))));
            step.setAccounts(FormText.words(form.optString("accountsText")));
            step.setPublish(FormText.words(form.optString("publishText")));
            step.setTimeout(form.optString("timeout"));
            step.setDryRun(form.optBoolean("dryRun"));
            step.setSpec(form.optString("spec"));
            step.setPayload(form.optString("payload"));
            return step;
        }

        @POST
        public FormValidation doCheckImageName(@AncestorInPath Item item, @QueryParameter String value,
                                               @QueryParameter String region) {
            return check(item, () -> RequestChecks.buildField("imageName", value, region));
        }

        @POST
        public FormValidation doCheckSource(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.buildField("source", value, null));
        }

        @POST
        public FormValidation doCheckBootstrapUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.buildField("bootstrapUrl", value, null));
        }

        @POST
        public FormValidation doCheckName(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.buildField("name", value, null));
        }

        @POST
        public FormValidation doCheckCompletion(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.buildField("completion", value, null));
        }

        /** marker (the engine's default, left out of the snippet) or stop. */
        @POST
        public ListBoxModel doFillCompletionItems() {
            return RequestChecks.completions();
        }

        @POST
        public FormValidation doCheckCopiesText(@AncestorInPath Item item, @QueryParameter String value,
                                                @QueryParameter String region) {
            return check(item, () -> RequestChecks.buildField("copies", FormText.words(value), region));
        }

        @POST
        public FormValidation doCheckAccountsText(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.buildField("accounts", FormText.words(value), null));
        }

        @POST
        public FormValidation doCheckPublishText(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.buildField("publish", FormText.words(value), null));
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, () -> RequestChecks.buildField("timeout", value, null));
        }
    }
}
