package io.flotilla.scheduler.framework;

/** Incremental updates of a PreFilter state; called on a copied CycleState only. */
public interface PreFilterExtensions {
  Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

  Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
}
