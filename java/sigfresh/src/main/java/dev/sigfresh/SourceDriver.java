package dev.sigfresh;

import dev.sigfresh.internal.Bindings;
import dev.sigfresh.internal.NativeApi;
import dev.sigfresh.internal.NativeRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Drives one core source state machine (IMDS, container, chain): performs the I/O each step
 * asks for and feeds the outcome back. Holds no rule: the core decides every request, header,
 * retry and wait. Used by one thread at a time (the public classes synchronize).
 */
final class SourceDriver implements AutoCloseable {
    private static final int STEP_SEND = 0;
    private static final int STEP_READ_FILE = 1;
    private static final int STEP_RUN_PROCESS = 2;
    private static final int STEP_RESOLVE = 3;
    private static final int STEP_WAIT = 4;
    private static final int STEP_DONE = 5;
    private static final int STEP_FAILED = 6;

    private final NativeRef ref;
    private final HttpTransport transport;
    private final Clock clock;
    private final String what;

    SourceDriver(Object owner, long handle, HttpTransport transport, Clock clock, String what) {
        this.ref = NativeRef.of(owner, handle, h -> Bindings.api().sourceFree(h), what);
        this.transport = transport;
        this.clock = clock;
        this.what = what;
    }

    /** Runs one fetch to completion. */
    synchronized Credentials fetch() {
        NativeApi api = Bindings.api();
        long h = ref.acquire();
        try {
            api.sourceStart(h, clock.millis(), ThreadLocalRandom.current().nextLong());
            while (true) {
                Object[] step = api.sourcePoll(h, clock.millis());
                long[] n = (long[]) step[0];
                String[] text = (String[]) step[1];
                switch ((int) n[NativeApi.STEP_KIND]) {
                    case STEP_SEND:
                        send(api, h, n, text, (String[]) step[2], (byte[]) step[3], (String[]) step[4]);
                        break;
                    case STEP_READ_FILE:
                        readFile(api, h, text[2]);
                        break;
                    case STEP_RUN_PROCESS:
                        runProcess(api, h, text[2], n[NativeApi.STEP_TIMEOUT]);
                        break;
                    case STEP_RESOLVE:
                        resolve(api, h, text[2]);
                        break;
                    case STEP_WAIT:
                        sleepUntil(n[NativeApi.STEP_WAIT_UNTIL]);
                        break;
                    case STEP_DONE:
                        return new Credentials(n[NativeApi.STEP_CREDENTIALS]);
                    case STEP_FAILED: {
                        FailureKind kind = FailureKind.of(n[NativeApi.STEP_FAILURE_KIND]);
                        Duration ra = n[NativeApi.STEP_HAS_RETRY_AFTER] != 0
                                ? Duration.ofMillis(n[NativeApi.STEP_RETRY_AFTER]) : null;
                        String name = api.resultName((int) n[NativeApi.STEP_ERROR]);
                        throw new CredentialsUnavailableException(kind, ra,
                                what + ": " + name + (text[3] == null ? "" : ": " + text[3]));
                    }
                    default:
                        throw new CredentialsUnavailableException(FailureKind.RETRYABLE, null,
                                what + ": unknown step " + n[NativeApi.STEP_KIND]);
                }
            }
        } finally {
            ref.release();
        }
    }

    private void send(NativeApi api, long h, long[] n, String[] text, String[] headers, byte[] body,
            String[] connectTo) {
        List<Header> hs = new ArrayList<>(headers.length / 2);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            hs.add(new Header(headers[i], headers[i + 1]));
        }
        HttpTransport.Request req = new HttpTransport.Request(text[0], text[1], hs, body,
                Duration.ofMillis(Math.max(1, n[NativeApi.STEP_TIMEOUT])), n[NativeApi.STEP_USE_PROXY] != 0,
                Arrays.asList(connectTo));
        HttpTransport.Response resp;
        try {
            resp = transport.send(req);
        } catch (InterruptedIOException e) {
            api.sourceHandleTransportError(h, clock.millis(), 0, describe(e));
            return;
        } catch (ConnectException | UnknownHostException e) {
            api.sourceHandleTransportError(h, clock.millis(), 1, describe(e));
            return;
        } catch (IOException e) {
            int kind = e.getClass().getName().equals("java.net.http.HttpTimeoutException")
                    || e.getClass().getName().equals("java.net.http.HttpConnectTimeoutException") ? 0
                    : e.getCause() instanceof ConnectException ? 1 : 2;
            api.sourceHandleTransportError(h, clock.millis(), kind, describe(e));
            return;
        }
        List<String> flat = new ArrayList<>();
        for (Header x : resp.headers()) {
            flat.add(x.name());
            flat.add(x.value());
        }
        api.sourceHandleResponse(h, clock.millis(), resp.status(), flat.toArray(new String[0]), resp.body());
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void readFile(NativeApi api, long h, String path) {
        try {
            api.sourceHandleFile(h, clock.millis(), Files.readAllBytes(Paths.get(path)));
        } catch (NoSuchFileException e) {
            api.sourceHandleIoFailure(h, clock.millis(), 0, 0, path);
        } catch (AccessDeniedException e) {
            api.sourceHandleIoFailure(h, clock.millis(), 0, 1, path);
        } catch (IOException | RuntimeException e) {
            api.sourceHandleIoFailure(h, clock.millis(), 0, 3, describe(e));
        }
    }

    private void runProcess(NativeApi api, long h, String command, long timeoutMs) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        ProcessBuilder pb = windows ? new ProcessBuilder("cmd.exe", "/C", command)
                : new ProcessBuilder("/bin/sh", "-c", command);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = readAll(p.getInputStream());
            long wait = timeoutMs > 0 ? timeoutMs : 60_000;
            if (!p.waitFor(wait, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                api.sourceHandleIoFailure(h, clock.millis(), 1, 2, "credential_process timed out");
                return;
            }
            api.sourceHandleProcess(h, clock.millis(), p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            api.sourceHandleIoFailure(h, clock.millis(), 1, 3, "interrupted");
        } catch (IOException e) {
            api.sourceHandleIoFailure(h, clock.millis(), 1, 0, describe(e));
        }
    }

    private void resolve(NativeApi api, long h, String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            String[] addrs = new String[all.length];
            for (int i = 0; i < all.length; i++) {
                addrs[i] = all[i].getHostAddress();
            }
            api.sourceHandleResolved(h, clock.millis(), addrs);
        } catch (UnknownHostException e) {
            api.sourceHandleIoFailure(h, clock.millis(), 2, 0, host);
        }
    }

    private void sleepUntil(long atMs) {
        long d = atMs - clock.millis();
        if (d > 0) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CredentialsUnavailableException(FailureKind.RETRYABLE, null, what + ": interrupted");
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    synchronized String explain() {
        long h = ref.acquire();
        try {
            return Bindings.api().sourceExplain(h);
        } finally {
            ref.release();
        }
    }

    @Override
    public void close() {
        ref.close();
    }
}
