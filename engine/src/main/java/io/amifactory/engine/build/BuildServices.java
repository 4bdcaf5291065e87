package io.amifactory.engine.build;

import io.amifactory.engine.aws.ClientSource;
import java.util.Objects;

/**
 * What a build machine works with: SDK clients, how sources are resolved, how images are shared, and where
 * the record is saved.
 */
public record BuildServices(ClientSource clients, SourceResolver sources, BuildSharer sharer, BuildRecordStore store) {
    public BuildServices {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(sharer, "sharer");
        store = store == null ? BuildRecordStore.NONE : store;
    }

    /** The defaults: {@link Ec2SourceResolver} (no tracked images) and {@link ShareEngineSharer}. */
    public static BuildServices of(ClientSource clients, BuildRecordStore store) {
        return new BuildServices(clients, new Ec2SourceResolver(clients), new ShareEngineSharer(clients), store);
    }

    public BuildServices withSources(SourceResolver sources) {
        return new BuildServices(clients, sources, sharer, store);
    }

    public BuildServices withSharer(BuildSharer sharer) {
        return new BuildServices(clients, sources, sharer, store);
    }

    public BuildServices withStore(BuildRecordStore store) {
        return new BuildServices(clients, sources, sharer, store);
    }

    /** The instance and image polls this build shares with every other build on the same clients. */
    public SharedPolls polls() {
        return SharedPolls.of(clients);
    }
}
