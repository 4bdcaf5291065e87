package io.amifactory.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.amifactory.engine.emulator.MotoServer;
import io.amifactory.engine.testkit.FaultPlan;
import io.amifactory.engine.testkit.FaultProxy;
import io.amifactory.engine.testkit.MotoExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state file that cannot be used stops the check before any AWS call with exit 2 ("nothing changed"),
 * not 1, which promises that the other pairs were reported and saved.
 */
@ExtendWith(MotoExtension.class)
class CheckStateFileTest {
    @TempDir
    Path dir;

    private record Run(int code, String err) {
    }

    private Run check(MotoServer moto, Path state, FaultProxy proxy) throws Exception {
        Path config = Files.writeString(dir.resolve("t.yaml"),
                "images:\n  - {name: al2023, parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64, "
                        + "regions: [us-east-1]}\n");
        StringWriter err = new StringWriter();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        try {
            int code = AmiFactory.run(new String[] {"check", "--config", config.toString(), "--state", state.toString(),
                    "--endpoint-url", proxy.endpoint().toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
            return new Run(code, err.toString());
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void aCorruptStateFileExitsTwoNamingItAndIsLeftAsItIs(MotoServer moto) throws Exception {
        Path state = Files.writeString(dir.resolve("state.json"), "{\"format\":1,\"images\":{\"al2023\":");
        byte[] before = Files.readAllBytes(state);
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none())) {
            Run r = check(moto, state, proxy);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("amifactory: the state file " + state.toAbsolutePath() + " is not valid"), r.err());
            assertEquals(0, proxy.calls().size());
        }
        assertArrayEquals(before, Files.readAllBytes(state));
    }

    @Test
    void aStateFileThatIsAFolderExitsTwo(MotoServer moto) throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), FaultPlan.none())) {
            Run r = check(moto, state, proxy);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("cannot read the state file " + state.toAbsolutePath()), r.err());
            assertEquals(0, proxy.calls().size());
        }
    }
}
