package io.amifactory.engine.build;

import java.util.List;

/**
 * One step of a build. {@link #run} is called again and again until it answers done or failed; it must never
 * block for long, and it must be safe to call again after the process died at any point (it finds what an
 * earlier attempt created, by the record or by the build-id tag, before creating anything).
 *
 * <p>{@link #cleanup} runs for every phase that started, in reverse order, when the build ends: on success too,
 * so each cleanup decides what to undo ({@link BuildContext#failed()}). It reads only the record, never the
 * spec, so that a build can be cleaned up without it.
 */
interface Phase {
    /** Stable name: it is stored in records. */
    String name();

    PhaseResult run(BuildContext ctx);

    default PhaseResult cleanup(BuildContext ctx) {
        return PhaseResult.done();
    }

    /** What this phase's cleanup would still have to remove, for the report when it gives up. */
    default List<String> leftovers(BuildContext ctx) {
        return List.of();
    }
}
