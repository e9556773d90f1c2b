package dev.sigfresh.awssdk.testing;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * An instance metadata service that serves one role's credentials and can rotate them: AWS's
 * emulator (amazon-ec2-metadata-mock) when it is installed at
 * {@code target/imds-emulator/bin/ec2-metadata-mock} under the repository root, else an
 * in-process fake. With {@code SIGFRESH_REQUIRE_EMULATOR} set, a missing emulator is a failure.
 */
public interface ImdsBackend extends AutoCloseable {
    String ROLE = "sigfresh-test-role";

    /** The base URL, for {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}. */
    String endpoint();

    /** Serves {@code next} from now on. */
    void rotate(IssuedCredentials next) throws Exception;

    /** How many times the credentials document was fetched (-1 when the backend cannot count). */
    int credentialFetches();

    /** Which backend this is, for messages. */
    String name();

    @Override
    void close();

    static Path repoRoot() {
        String p = System.getProperty("sigfresh.repo.root");
        return (p != null ? Paths.get(p) : Paths.get("..", "..")).toAbsolutePath().normalize();
    }

    static File emulatorBinary() {
        String dir = System.getenv("SIGFRESH_EMULATOR_DIR");
        Path base = dir != null ? Paths.get(dir) : repoRoot().resolve("target/imds-emulator");
        return base.resolve("bin/ec2-metadata-mock").toFile();
    }

    /** Starts the emulator if installed (required under SIGFRESH_REQUIRE_EMULATOR), else the fake. */
    static ImdsBackend start(IssuedCredentials initial) throws Exception {
        File bin = emulatorBinary();
        if (bin.canExecute()) {
            return AemmImds.start(bin, initial);
        }
        if (System.getenv("SIGFRESH_REQUIRE_EMULATOR") != null) {
            throw new AssertionError("SIGFRESH_REQUIRE_EMULATOR is set but " + bin
                    + " is missing (install it with tests/imds/install-emulator.sh)");
        }
        System.err.println("*** amazon-ec2-metadata-mock not installed at " + bin
                + "; using the in-process fake IMDS (tests/imds/install-emulator.sh installs it) ***");
        return FakeImds.start(initial);
    }
}
