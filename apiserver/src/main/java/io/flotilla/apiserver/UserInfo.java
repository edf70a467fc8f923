package io.flotilla.apiserver;

import java.util.List;

/** Who made a request, as authentication established it. */
public record UserInfo(String name, String uid, List<String> groups) {
  public UserInfo {
    groups = List.copyOf(groups);
  }

  /** The user of unauthenticated requests on a server without TLS. */
  public static final UserInfo ANONYMOUS =
      new UserInfo("system:anonymous", "", List.of("system:unauthenticated"));
}
