package io.flotilla.apiserver.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * ObjectMappers whose parsers and generators recycle their buffers through one pool shared by all
 * threads. Jackson's default pool is per thread, and the server's continuations run on virtual
 * threads that live for one task each, so with it every parse or write of a body allocated fresh 8
 * KiB byte and char buffers. Thread-safe: the pool is a concurrent deque.
 */
public final class JsonMappers {
  private JsonMappers() {}

  /** A new ObjectMapper with default settings and the shared buffer pool. */
  public static ObjectMapper pooled() {
    return new ObjectMapper(
        JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());
  }
}
