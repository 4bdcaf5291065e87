package io.jenkins.plugins.amifactory.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.jenkins.plugins.amifactory.forms.FormText;
import io.jenkins.plugins.amifactory.runners.PlainValues;
import java.util.List;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The steps that act in several regions at once ({@code amiShare}, {@code amiPrune}, {@code amiLatest}): besides
 * {@code region} they take {@code regions}, a list (the engine refuses both together). Pipeline passes the list;
 * the Snippet Generator's form has it as text, {@code regionsText}.
 */
public abstract class AmiRegionsStep extends AmiStep {
    private List<String> regions;

    @CheckForNull
    public List<String> getRegions() {
        return regions;
    }

    @DataBoundSetter
    public void setRegions(List<String> regions) {
        this.regions = PlainValues.strings(regions);
    }

    public String getRegionsText() {
        return FormText.joinWords(regions);
    }

    @Override
    void bindCommon(JSONObject form) {
        super.bindCommon(form);
        setRegions(FormText.words(form.optString("regionsText")));
    }
}
