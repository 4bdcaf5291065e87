package io.jenkins.plugins.amifactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Every field of every form of the plugin has help, and Jenkins serves it. */
@WithJenkins
class FormsAndHelpTest {
    /** Fields of entries; an f:property shows no help of its own (its form's fields have theirs). */
    private static final Pattern FIELD = Pattern.compile("<f:(?!property\\b)[\\w]+[^>]*\\bfield=\"(\\w+)\"");
    private static final Pattern INCLUDE = Pattern.compile("<st:include page=\"config.jelly\" class=\"([\\w.]+)\"");

    /** The fields of a describable's form, with those of the forms it includes. */
    private static Set<String> fields(Class<?> clazz) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (Class<?> c = clazz; c != null && c != Object.class; c = c.getSuperclass()) {
            String jelly = read(c.getName().replace('.', '/') + "/config.jelly");
            if (jelly == null) {
                continue;
            }
            collect(jelly, out);
            Matcher include = INCLUDE.matcher(jelly);
            while (include.find()) {
                collect(read(include.group(1).replace('.', '/') + "/config.jelly"), out);
            }
            break;
        }
        return out;
    }

    private static void collect(String jelly, Set<String> out) {
        Matcher m = FIELD.matcher(jelly);
        while (m.find()) {
            out.add(m.group(1));
        }
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = FormsAndHelpTest.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyFieldOfEveryFormHasHelpThatIsServed(JenkinsRule j) throws Exception {
        List<String> checked = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            wc.setThrowExceptionOnFailingStatusCode(false);
            for (Descriptor<?> d : j.jenkins.getExtensionList(Descriptor.class)) {
                if (!d.getClass().getName().startsWith("io.jenkins.plugins.amifactory.")) {
                    continue;
                }
                for (String field : fields(d.clazz)) {
                    String what = d.clazz.getSimpleName() + "." + field;
                    WebResponse help = wc.getPage(new URL(j.getURL(), "descriptor/" + d.getId() + "/help/" + field))
                            .getWebResponse();
                    if (help.getStatusCode() != 200 || help.getContentAsString().trim().length() < 40) {
                        missing.add(what);
                    }
                    checked.add(what);
                }
            }
        }
        assertEquals(List.of(), missing, "fields without help");
        assertTrue(checked.size() > 60, "found the forms' fields: " + checked);
        assertNotNull(checked.stream().filter(f -> f.equals("StepDefaults.allowDefaultIdentity")).findFirst().orElse(null),
                "the nested forms are covered: " + checked);
    }
}
