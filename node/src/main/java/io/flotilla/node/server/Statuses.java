package io.flotilla.node.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** metav1 Status documents, as the kubelet server answers errors and ends exec sessions. */
final class Statuses {
  static final ObjectMapper JSON = new ObjectMapper();

  private Statuses() {}

  /** A Failure Status with the reason upstream uses for {@code code}. */
  static ObjectNode failure(int code, String message) {
    ObjectNode s = base("Failure");
    s.put("message", message);
    s.put("reason", reason(code));
    s.put("code", code);
    return s;
  }

  /** {@code {"metadata":{},"status":"Success"}}, the end of a successful exec. */
  static ObjectNode success() {
    return base("Success");
  }

  /** The Status an exec that exited with {@code code} (non-zero) ends with. */
  static ObjectNode exitCode(java.util.List<String> command, int code) {
    ObjectNode s = base("Failure");
    s.put(
        "message",
        "command terminated with non-zero exit code: error executing command "
            + "["
            + String.join(" ", command)
            + "], exit code "
            + code);
    s.put("reason", "NonZeroExitCode");
    ArrayNode causes = s.putObject("details").putArray("causes");
    causes.addObject().put("reason", "ExitCode").put("message", Integer.toString(code));
    return s;
  }

  static byte[] bytes(ObjectNode status) {
    try {
      return JSON.writeValueAsBytes(status);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Answers the request with a Failure Status and closes nothing (keep-alive). */
  static void respond(ChannelHandlerContext ctx, int code, String message, boolean close) {
    byte[] body = bytes(failure(code, message));
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    var f = ctx.writeAndFlush(r);
    if (close) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static ObjectNode base(String status) {
    ObjectNode s = JSON.createObjectNode();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", status);
    return s;
  }

  private static String reason(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 409 -> "Conflict";
      default -> code >= 500 ? "InternalError" : "BadRequest";
    };
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
