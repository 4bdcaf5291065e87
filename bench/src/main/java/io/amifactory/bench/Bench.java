package io.amifactory.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the benchmark jar: {@code java -jar bench/target/amifactory-bench.jar NAME [args]}.
 * Each benchmark prints its figures as Markdown table rows for docs/performance.md.
 */
public final class Bench {
    interface Benchmark {
        void run(String[] args) throws Exception;
    }

    private static final Map<String, Benchmark> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("poll-cycle", PollCycleBench::run);
        BENCHMARKS.put("prune-plan", PrunePlanBench::run);
        BENCHMARKS.put("poll-jobs", PollJobsBench::run);
        BENCHMARKS.put("build-sim", BuildSimBench::run);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
            System.err.println("usage: java -jar amifactory-bench.jar (" + String.join("|", BENCHMARKS.keySet()) + ") [options]");
            System.exit(2);
        }
        BENCHMARKS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
    }
}
