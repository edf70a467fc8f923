package io.flotilla.controllers.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.util.List;

/**
 * Keeps a {@code default} ServiceAccount in every namespace that is not terminating, as upstream's
 * serviceaccounts-controller. Keys are namespace names; a deleted {@code default} account queues
 * its namespace again. Threading: see {@link Controller}.
 */
public final class ServiceAccountController implements Reconciler {
  public static final String NAME = "serviceaccount";
  public static final String DEFAULT = "default";

  private final ControllerContext ctx;
  private final SharedIndexInformer<Namespace> namespaces;
  private final SharedIndexInformer<ServiceAccount> accounts;

  private ServiceAccountController(ControllerContext ctx) {
    this.ctx = ctx;
    this.namespaces = ctx.informers().forType(Namespace.class);
    this.accounts = ctx.informers().forType(ServiceAccount.class);
  }

  public static Controller create(ControllerContext ctx) {
    ServiceAccountController r = new ServiceAccountController(ctx);
    return Controller.builder(ctx, NAME, r)
        .watch(r.namespaces)
        .watch(
            r.accounts,
            sa ->
                DEFAULT.equals(sa.getMetadata().getName())
                    ? List.of(sa.getMetadata().getNamespace())
                    : List.of())
        .build();
  }

  @Override
  public Result reconcile(String key) {
    Namespace ns = namespaces.getStore().getByKey(key);
    if (ns == null
        || ns.getMetadata().getDeletionTimestamp() != null
        || "Terminating".equals(ns.getStatus() == null ? null : ns.getStatus().getPhase())) {
      return Result.done();
    }
    if (accounts.getStore().getByKey(Keys.of(key, DEFAULT)) != null) {
      return Result.done();
    }
    try {
      ctx.client()
          .serviceAccounts()
          .inNamespace(key)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName(DEFAULT)
                  .withNamespace(key)
                  .endMetadata()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // 409: created meanwhile (the cache lags); 403/404 in a namespace being deleted: nothing to
      // do.
      if (e.getCode() != 409 && e.getCode() != 403 && e.getCode() != 404) {
        throw e;
      }
    }
    return Result.done();
  }
}
