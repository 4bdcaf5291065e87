package io.jenkins.plugins.amifactory.trigger;

import io.amifactory.engine.track.Ledger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jenkins.model.Jenkins;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/** Where the tracker's ledger lives: {@code $JENKINS_HOME/ami-factory/ledger.json}, one for the controller. */
@Restricted(NoExternalUse.class)
public final class LedgerLocation {
    private LedgerLocation() {
    }

    static Path file() {
        Path dir = Jenkins.get().getRootDir().toPath().resolve("ami-factory");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir.resolve("ledger.json");
    }

    public static Ledger open() {
        return new Ledger(file());
    }
}
