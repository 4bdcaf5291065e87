package io.amifactory.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --key value} pairs of a benchmark's command line. */
final class Options {
    private Options() {
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }
}
