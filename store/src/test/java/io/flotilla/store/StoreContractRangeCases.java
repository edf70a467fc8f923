package io.flotilla.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Range reads: prefixes as raw byte prefixes, byte order, limit, count and continuation. */
abstract class StoreContractRangeCases extends StoreContractCases {

  StoreContractRangeCases(StoreContractTest contract) {
    super(contract);
  }

  @Test
  void aPrefixRangeReturnsKeysInUtf8ByteOrder() throws Exception {
    // Written out of order. "\uE000" sorts after the emoji in UTF-16 (String.compareTo) but
    // before it in UTF-8 bytes (EE.. < F0..): the store must use the bytes.
    List<String> written = List.of("/k/\uD83D\uDE00", "/k/a", "/k/\uE000", "/k/B", "/k/\u00E9");
    for (String key : written) {
      put(key, key);
    }

    RangeResult r = range(RangeRequest.prefix("/k/"));

    assertThat(keys(r))
        .containsExactly("/k/B", "/k/a", "/k/\u00E9", "/k/\uE000", "/k/\uD83D\uDE00");
    assertThat(r.kvs()).allSatisfy(kv -> assertThat(kv.valueAsString()).isEqualTo(kv.key()));
  }

  @Test
  void aPrefixIsARawBytePrefixSoSlashABMatchesSlashABC() throws Exception {
    for (String key : List.of("/a/b", "/a/b/x", "/a/bc", "/a/c", "/a/a")) {
      put(key, "v");
    }

    assertThat(keys(range(RangeRequest.prefix("/a/b"))))
        .as("prefix /a/b")
        .containsExactly("/a/b", "/a/b/x", "/a/bc");
    assertThat(keys(range(RangeRequest.prefix("/a/b/"))))
        .as("prefix /a/b/ excludes /a/bc and /a/b itself")
        .containsExactly("/a/b/x");
  }

  @Test
  void aSingleKeyRangeReturnsOnlyThatKey() throws Exception {
    for (String key : List.of("/a/b", "/a/b/x", "/a/bc")) {
      put(key, "v");
    }

    RangeResult r = range(RangeRequest.key("/a/b"));

    assertThat(keys(r)).containsExactly("/a/b");
    assertThat(r.count()).isEqualTo(1);
    assertThat(r.more()).isFalse();
    assertThat(range(RangeRequest.key("/a")).kvs()).as("no prefix match for a key").isEmpty();
  }

  @ParameterizedTest(name = "limit {0} returns {1} keys, more={2}")
  @CsvSource({
    "0, 5, false",
    "1, 1, true",
    "2, 2, true",
    "4, 4, true",
    "5, 5, false",
    "9, 5, false"
  })
  void aLimitCapsTheKeysReportsMoreAndCountsTheWholeRange(
      long limit, int expectedKeys, boolean expectedMore) throws Exception {
    for (int i = 0; i < 5; i++) {
      put("/items/" + i, "v" + i);
    }
    put("/other", "not in the range");

    RangeResult r = range(RangeRequest.prefix("/items/").withLimit(limit));

    assertThat(keys(r))
        .containsExactlyElementsOf(
            List.of("/items/0", "/items/1", "/items/2", "/items/3", "/items/4")
                .subList(0, expectedKeys));
    assertThat(r.more()).isEqualTo(expectedMore);
    assertThat(r.count()).isEqualTo(5);
    assertThat(r.revision()).isEqualTo(7);
  }

  @Test
  void countOnlyReturnsTheCountAndNoKeys() throws Exception {
    for (int i = 0; i < 4; i++) {
      put("/items/" + i, "v");
    }

    RangeResult r = range(RangeRequest.prefix("/items/").withCountOnly());

    assertThat(r.kvs()).isEmpty();
    assertThat(r.count()).isEqualTo(4);
  }

  @Test
  void continuationWithFromKeyPagesThroughEveryKeyExactlyOnce() throws Exception {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String key = "/pods/default/p%02d".formatted(i);
      expected.add(key);
      put(key, "v");
    }
    put("/pods/defaultz", "outside the prefix");

    List<String> seen = pageThrough(range(RangeRequest.prefix("/pods/default/")).revision());

    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void continuationAtTheFirstPagesRevisionIgnoresLaterWrites() throws Exception {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String key = "/pods/default/p%02d".formatted(i);
      expected.add(key);
      put(key, "v");
    }
    long snapshot = currentRevision();
    RangeResult first = range(RangeRequest.prefix("/pods/default/").withLimit(4));
    put("/pods/default/p00a", "added between pages");
    delete("/pods/default/p07");

    List<String> seen = new ArrayList<>(keys(first));
    String last = seen.getLast();
    RangeResult page;
    do {
      page =
          range(
              RangeRequest.prefix("/pods/default/")
                  .withFromKey(last + "\0")
                  .withLimit(4)
                  .atRevision(snapshot));
      seen.addAll(keys(page));
      last = seen.getLast();
    } while (page.more());

    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void theCountOfAContinuationCountsFromItsFromKey() throws Exception {
    for (int i = 0; i < 6; i++) {
      put("/items/" + i, "v");
    }

    RangeResult r = range(RangeRequest.prefix("/items/").withFromKey("/items/2").withLimit(2));

    assertThat(keys(r)).containsExactly("/items/2", "/items/3");
    assertThat(r.more()).isTrue();
    assertThat(r.count()).isEqualTo(4);
  }

  /** Reads the prefix in pages of 5 at a fixed revision, as a paginated list does. */
  private List<String> pageThrough(long revision) throws Exception {
    List<String> seen = new ArrayList<>();
    String from = null;
    int pages = 0;
    while (true) {
      RangeRequest request =
          RangeRequest.prefix("/pods/default/").withLimit(5).atRevision(revision);
      RangeResult page = range(from == null ? request : request.withFromKey(from));
      assertThat(page.kvs()).as("page %d", pages).isNotEmpty().hasSizeLessThanOrEqualTo(5);
      seen.addAll(keys(page));
      pages++;
      if (!page.more()) {
        break;
      }
      assertThat(pages).as("pages, guarding against a continuation that never ends").isLessThan(10);
      from = seen.getLast() + "\0";
    }
    assertThat(pages).isEqualTo(5);
    return seen;
  }
}
