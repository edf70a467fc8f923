package io.flotilla.controllers.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that moves only when a test says so. {@link #advance(Duration)} runs, on the caller's
 * thread and in time order, every task that falls due; tasks scheduled with a zero delay run at
 * once on the scheduling thread's behalf (also on the caller of the next advance if scheduled while
 * advancing). Thread-safe: all state is guarded by this object's monitor, and tasks run outside it.
 */
public final class ManualClock implements Clock {
  private record Task(Instant due, long seq, Runnable run) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) -> a.due.equals(b.due) ? Long.compare(a.seq, b.seq) : a.due.compareTo(b.due));
  private Instant now;
  private long seq;

  public ManualClock(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public java.time.Clock javaClock() {
    ManualClock self = this;
    return new java.time.Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return self.now();
      }
    };
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (delay.isZero() || delay.isNegative()) {
      task.run();
      return () -> {};
    }
    Task t;
    synchronized (this) {
      t = new Task(now.plus(delay), seq++, task);
      tasks.add(t);
    }
    return () -> {
      synchronized (this) {
        tasks.remove(t);
      }
    };
  }

  /** Moves time forward by {@code d}, running each task that falls due at its due time. */
  public void advance(Duration d) {
    Instant target;
    synchronized (this) {
      target = now.plus(d);
    }
    while (true) {
      List<Runnable> due = new ArrayList<>();
      synchronized (this) {
        Task head = tasks.peek();
        if (head == null || head.due.isAfter(target)) {
          now = target;
          return;
        }
        Instant at = head.due;
        now = at.isAfter(now) ? at : now;
        while (!tasks.isEmpty() && !tasks.peek().due.isAfter(at)) {
          due.add(tasks.poll().run);
        }
      }
      due.forEach(Runnable::run);
    }
  }

  /** How many tasks wait for a later time (for tests that wait until something is scheduled). */
  public synchronized int pending() {
    return tasks.size();
  }
}
