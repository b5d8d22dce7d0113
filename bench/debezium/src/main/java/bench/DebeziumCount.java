package bench;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.JsonByteArray;
import io.debezium.engine.format.KeyValueChangeEventFormat;
import io.debezium.engine.format.KeyValueHeaderChangeEventFormat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Debezium reference of the CDC bench: Debezium's Postgres connector on its embedded engine,
 * records serialized by Kafka's JsonConverter (schemas.enable=true, key and value) as a Connect
 * worker would before producing, then counted and dropped. Prints one JSON line once the expected
 * number of change records has arrived, then stops the engine and exits.
 *
 *   java -cp 'target/debezium-bench.jar:target/lib/*' bench.DebeziumCount --expect=N --host=H
 *       --port=P --user=U --password=W --dbname=D --slot=S --publication=PUB
 *       --tables='public\.t' --snapshot-mode=no_data [--set=key=value ...] [--show-first=true] [--show-topics=true] [--show-all=true]
 *
 * Output: {"ms": engine start to the Nth record, "firstMs": to the first, "count", "keyBytes" and
 * "valueBytes": serialized bytes in all, "vmHwmKb": the JVM's peak resident set then, "debezium": version}
 */
public final class DebeziumCount {
    private static final String PREFIX = "bench";

    public static void main(String[] argv) throws Exception {
        // Before the first logger exists; -Dorg.slf4j.simpleLogger.defaultLogLevel=info shows the engine's progress.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Map<String, String> args = new LinkedHashMap<>();
        Properties extra = new Properties();
        for (String a : argv) {
            if (!a.startsWith("--") || !a.contains("=")) throw new IllegalArgumentException("expected --name=value, got " + a);
            String k = a.substring(2, a.indexOf('='));
            String v = a.substring(a.indexOf('=') + 1);
            if (k.equals("set")) extra.setProperty(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
            else args.put(k, v);
        }
        long expect = Long.parseLong(need(args, "expect"));
        boolean showFirst = Boolean.parseBoolean(args.getOrDefault("show-first", "false"));
        // Each counted record's topic and key on stderr: to see where Debezium routes a table's events.
        boolean showTopics = Boolean.parseBoolean(args.getOrDefault("show-topics", "false"));
        // Every record whole (topic, headers, key, value; tombstones and messages too) on stderr, one JSON line each.
        boolean showAll = Boolean.parseBoolean(args.getOrDefault("show-all", "false"));

        Properties p = new Properties();
        p.setProperty("name", "debezium-bench");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("database.hostname", need(args, "host"));
        p.setProperty("database.port", need(args, "port"));
        p.setProperty("database.user", need(args, "user"));
        p.setProperty("database.password", args.getOrDefault("password", ""));
        p.setProperty("database.dbname", need(args, "dbname"));
        p.setProperty("slot.name", need(args, "slot"));
        p.setProperty("publication.name", need(args, "publication"));
        p.setProperty("table.include.list", need(args, "tables"));
        p.setProperty("snapshot.mode", need(args, "snapshot-mode"));
        p.setProperty("topic.prefix", PREFIX);
        // Offsets stay in memory: each run starts from the slot (streaming) or a fresh snapshot.
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "60000");
        // The bytes a Connect worker with JsonConverter and schemas.enable=true hands the producer.
        p.setProperty("key.converter.schemas.enable", "true");
        p.setProperty("value.converter.schemas.enable", "true");
        p.putAll(extra);

        String messageTopic = PREFIX + ".message";
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] counts = new long[3]; // records, key bytes, value bytes; only the engine's consumer thread writes
        long[] firstAt = {0};
        long[] doneAt = {0};
        long started = System.nanoTime();

        DebeziumEngine<ChangeEvent<byte[], byte[]>> engine = DebeziumEngine
                // Headers are converted (JsonConverter) only when shown: the engine drops them without a header format.
                .create(showAll ? KeyValueHeaderChangeEventFormat.of(JsonByteArray.class, JsonByteArray.class, JsonByteArray.class) : KeyValueChangeEventFormat.of(JsonByteArray.class, JsonByteArray.class))
                .using(p)
                .notifying((List<ChangeEvent<byte[], byte[]>> batch, DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> committer) -> {
                    for (ChangeEvent<byte[], byte[]> e : batch) {
                        if (showAll) {
                            StringBuilder h = new StringBuilder("{");
                            for (io.debezium.engine.Header<?> hd : e.headers()) {
                                if (h.length() > 1) h.append(',');
                                Object hv = hd.getValue();
                                String text = hv == null ? "null" : hv instanceof byte[] ? new String((byte[]) hv, StandardCharsets.UTF_8) : "\"" + hv + "\"";
                                h.append('"').append(hd.getKey()).append("\":").append(text);
                            }
                            h.append('}');
                            System.err.println("RECORD {\"topic\":\"" + e.destination() + "\",\"headers\":" + h + ",\"key\":" + (e.key() == null ? "null" : new String(e.key(), StandardCharsets.UTF_8)) + ",\"value\":" + (e.value() == null ? "null" : new String(e.value(), StandardCharsets.UTF_8)) + "}");
                        }
                        // Logical decoding messages (the bench's end marker) and tombstones are not row changes.
                        if (e.value() != null && !messageTopic.equals(e.destination())) {
                            if (counts[0]++ == 0) {
                                firstAt[0] = System.nanoTime();
                                if (showFirst) System.err.println("first record, key: " + new String(e.key(), StandardCharsets.UTF_8) + "\nvalue: " + new String(e.value(), StandardCharsets.UTF_8));
                            }
                            if (showTopics) System.err.println("record " + e.destination() + " " + (e.key() == null ? "null" : new String(e.key(), StandardCharsets.UTF_8).replaceAll(".*\"payload\":", "")));
                            counts[1] += e.key() == null ? 0 : e.key().length;
                            counts[2] += e.value().length;
                            if (counts[0] == expect) {
                                doneAt[0] = System.nanoTime();
                                done.countDown();
                            }
                        }
                        committer.markProcessed(e);
                    }
                    committer.markBatchFinished();
                })
                .using((success, message, error) -> {
                    if (!success) failure.compareAndSet(null, error != null ? error : new RuntimeException(message));
                    done.countDown();
                })
                .build();

        ExecutorService runner = Executors.newSingleThreadExecutor();
        runner.execute(engine);
        done.await();
        if (doneAt[0] == 0) {
            System.err.println("debezium engine stopped after " + counts[0] + " of " + expect + " records: " + failure.get());
            if (failure.get() != null) failure.get().printStackTrace();
            System.exit(1);
        }
        System.out.println(String.format("{\"ms\":%.1f,\"firstMs\":%.1f,\"count\":%d,\"keyBytes\":%d,\"valueBytes\":%d,\"vmHwmKb\":%d,\"debezium\":\"%s\"}",
                (doneAt[0] - started) / 1e6, (firstAt[0] - started) / 1e6, counts[0], counts[1], counts[2], vmHwmKb(), debeziumVersion()));
        System.out.flush();

        // A stop that hangs must not hold the slot: the bench drops inactive slots after each run.
        Thread watchdog = new Thread(() -> {
            try { Thread.sleep(20_000); } catch (InterruptedException ignored) { return; }
            Runtime.getRuntime().halt(2);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        engine.close();
        runner.shutdown();
        runner.awaitTermination(15, TimeUnit.SECONDS);
        System.exit(0);
    }

    private static String need(Map<String, String> args, String name) {
        String v = args.get(name);
        if (v == null) throw new IllegalArgumentException("missing --" + name + "=...");
        return v;
    }

    private static long vmHwmKb() {
        try {
            Matcher m = Pattern.compile("VmHWM:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/self/status")));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static String debeziumVersion() {
        String v = io.debezium.connector.postgresql.PostgresConnector.class.getPackage().getImplementationVersion();
        return v != null ? v : new io.debezium.connector.postgresql.PostgresConnector().version();
    }
}
