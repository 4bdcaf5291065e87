package io.amifactory.engine.input;

/**
 * Bad user input, found before anything in AWS is changed. The message always names where: the source
 * (file name, or a label such as "payload"), the line when there is one, and the field path.
 */
public class InputException extends RuntimeException {
    private final String source;
    private final int line;
    private final String field;
    private final String problem;

    public InputException(String source, int line, String field, String problem) {
        super(format(source, line, field, problem));
        this.source = source;
        this.line = line;
        this.field = field;
        this.problem = problem;
    }

    /** File name or label of the input. */
    public String source() {
        return source;
    }

    /** 1-based line, or 0 when the input has no lines (a Map handed over by a Pipeline). */
    public int line() {
        return line;
    }

    /** Field path such as {@code images[2].Filters}; empty for the document itself. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }

    static String format(String source, int line, String field, String problem) {
        StringBuilder b = new StringBuilder();
        if (source != null && !source.isEmpty()) {
            b.append(source);
            if (line > 0) {
                b.append(':').append(line);
            }
            b.append(": ");
        } else if (line > 0) {
            b.append("line ").append(line).append(": ");
        }
        if (field != null && !field.isEmpty()) {
            b.append(field).append(": ");
        }
        return b.append(problem).toString();
    }
}
