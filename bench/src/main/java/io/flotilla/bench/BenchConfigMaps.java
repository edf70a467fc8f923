package io.flotilla.bench;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The objects the API benchmark creates: ConfigMaps with about 1 KiB of data and, in an annotation,
 * the {@link System#nanoTime()} at which they were sent.
 *
 * @param payload the data value every ConfigMap carries (JSON-safe characters only)
 */
record BenchConfigMaps(String payload) {
  static final String SENT_ANNOTATION = "bench.flotilla.io/sent-nanos";
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  /** ConfigMaps with {@code dataBytes} bytes of random letters and digits as data. */
  static BenchConfigMaps ofSize(int dataBytes) {
    StringBuilder s = new StringBuilder(dataBytes);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < dataBytes; i++) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return new BenchConfigMaps(s.toString());
  }

  /** The JSON body of a POST creating {@code name}; names are DNS labels, so need no escaping. */
  String json(String name, long sentNanos) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
        + name
        + "\",\"annotations\":{\""
        + SENT_ANNOTATION
        + "\":\""
        + sentNanos
        + "\"}},\"data\":{\"payload\":\""
        + payload
        + "\"}}";
  }

  /** The collection path of ConfigMaps in a namespace. */
  static String path(String namespace) {
    return "/api/v1/namespaces/" + namespace + "/configmaps";
  }
}
