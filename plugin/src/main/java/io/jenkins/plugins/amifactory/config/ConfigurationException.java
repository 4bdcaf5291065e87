package io.jenkins.plugins.amifactory.config;

/**
 * A configuration value refused where both the System form and JCasC pass (a setter): the message names the
 * field and what is wrong; the form shows it next to {@link #field()}, JCasC reports it.
 */
public final class ConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ConfigurationException(String field, String problem) {
        super(problem.startsWith(field) ? problem : field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
