package io.amifactory.engine.build;

/**
 * Where a build's record is kept between transitions: a file for the CLI ({@link FileBuildRecordStore}), the
 * step execution for Jenkins. {@link #save} is called after every transition with the machine's live record;
 * keep a copy ({@link BuildRecord#toJson()} or {@link BuildRecord#copy()}), not the reference.
 */
@FunctionalInterface
public interface BuildRecordStore {
    BuildRecordStore NONE = record -> { };

    /** Persists the record; an exception is reported as a warning and the build goes on. */
    void save(BuildRecord record);
}
