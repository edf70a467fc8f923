package io.flotilla.node.runtime.cri;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every CRI call with its duration at debug level (logger {@code
 * io.flotilla.node.runtime.cri.CallTimer}), like kubelet's runtime operation latencies: where a
 * pod's startup time goes between the agent and containerd.
 */
final class CallTimer implements ClientInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(CallTimer.class);

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    if (!LOG.isDebugEnabled()) {
      return next.newCall(method, options);
    }
    long start = System.nanoTime();
    String name = method.getBareMethodName();
    return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                LOG.debug(
                    "{} {} {} ms",
                    name,
                    status.getCode(),
                    String.format("%.1f", (System.nanoTime() - start) / 1e6));
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }
}
