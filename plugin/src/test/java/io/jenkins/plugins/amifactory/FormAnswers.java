package io.jenkins.plugins.amifactory;

import java.net.URL;
import java.util.Map;
import java.util.stream.Collectors;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.util.NameValuePair;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * What a form check or button shows a user: the page asks {@code .../checkX} (or a validate button's method) by
 * POST and puts the answer under the field. Here the answer as text, {@code "error: ..."}, {@code "ok: ..."},
 * {@code "warning: ..."} or {@code "ok"}, with the markup and escapes taken out.
 */
public final class FormAnswers {
    private FormAnswers() {
    }

    /** @param path relative to Jenkins' root, e.g. {@code job/x/descriptorByName/ID/checkKeep} */
    public static String ask(JenkinsRule j, String path, Map<String, String> parameters) throws Exception {
        return text(raw(j, path, parameters));
    }

    /** The answer as it comes (a fill method's JSON, say). */
    public static String raw(JenkinsRule j, String path, Map<String, String> parameters) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            WebRequest request = new WebRequest(new URL(j.getURL(), path), HttpMethod.POST);
            request.setRequestParameters(parameters.entrySet().stream()
                    .map(e -> (NameValuePair) new NameValuePair(e.getKey(), e.getValue())).collect(Collectors.toList()));
            WebResponse response = wc.getPage(wc.addCrumb(request)).getWebResponse();
            return response.getContentAsString();
        }
    }

    /** The check of a descriptor's field, in a job's context. */
    public static String check(JenkinsRule j, String context, Class<?> describable, String field,
                               Map<String, String> parameters) throws Exception {
        String method = "check" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
        return ask(j, context + "descriptorByName/" + describable.getName() + "/" + method, parameters);
    }

    static String text(String html) {
        String trimmed = html.trim();
        if (trimmed.equals("<div/>")) {
            return "ok";
        }
        String kind = "";
        int cls = trimmed.indexOf("class=\"");
        if (trimmed.startsWith("<div") && cls >= 0) {
            kind = trimmed.substring(cls + 7, trimmed.indexOf('"', cls + 7)) + ": ";
        }
        String plain = trimmed.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        java.util.regex.Matcher numeric = java.util.regex.Pattern.compile("&#(\\d+);").matcher(plain);
        plain = numeric.replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                String.valueOf((char) Integer.parseInt(m.group(1)))));
        plain = plain.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        return kind + plain;
    }
}
