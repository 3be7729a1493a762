// Java side of the JNI scenarios (tests/bats/realprogs.bats, docs/jvm.md).
//   java ChJni npe N     throw and catch N NullPointerExceptions in hot code
//   java ChJni sigint [MS]  wait (at most MS, 5000) for SIGINT; a shutdown hook prints
//   java ChJni sigpipe   native code writes to a pipe nobody reads
//   java ChJni crash     native code writes to NULL
public class ChJni {
    static native int reporterRuns();
    static native int sigintRuns();
    static native long segvSeen();
    static native void crash();
    static native int brokenPipe();

    static final class Box { int v; }

    // Hot, compiled code: the null check on b.v is implicit (a load that
    // faults) in JIT-compiled code.
    static int read(Box b) {
        return b.v;
    }

    public static void main(String[] args) throws Exception {
        System.loadLibrary("chjni");
        switch (args[0]) {
        case "npe": {
            int n = Integer.parseInt(args[1]);
            Box box = new Box();
            long sum = 0;
            for (int i = 0; i < 20000; i++)      // warm up with a non-null receiver
                sum += read(box);
            long before = segvSeen();
            long t0 = System.nanoTime();
            int caught = 0;
            for (int i = 0; i < n; i++) {
                try {
                    sum += read(null);
                } catch (NullPointerException e) {
                    caught++;
                }
            }
            long seen = segvSeen();
            long t1 = System.nanoTime();
            System.out.println("caught " + caught + " NullPointerExceptions");
            System.out.println("SIGSEGV delivered during the loop: "
                + (seen < 0 ? "unknown (no sigshim)" : String.valueOf(seen - before)));
            System.out.println("native reporter ran " + reporterRuns() + " times");
            if (System.getenv("CHJNI_TIMING") != null)
                System.out.println("loop: " + (t1 - t0) / 1000000 + " ms");
            break;
        }
        case "sigint": {
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
                System.out.println("java shutdown hook ran")));
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(args.length > 1 ? Long.parseLong(args[1]) : 5000);
            System.out.println("no shutdown after SIGINT; native handler ran " + sigintRuns() + " times");
            break;
        }
        case "sigpipe":
            System.out.println("write to a broken pipe returned " + brokenPipe());
            break;
        case "crash":
            crash();
            System.out.println("still alive after the crash");
            break;
        default:
            throw new IllegalArgumentException(args[0]);
        }
    }
}
