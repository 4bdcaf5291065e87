package io.amifactory.engine.share;

import java.util.List;

/**
 * The request cannot be carried out as asked (an AMI is missing or not ours, its snapshots use the
 * AWS managed key, ...). Found before any change: nothing was shared or unshared anywhere.
 */
public class ShareRefusedException extends RuntimeException {
    private final List<String> problems;

    public ShareRefusedException(List<String> problems) {
        super("nothing was changed: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
