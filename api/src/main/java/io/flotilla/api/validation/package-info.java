/**
 * Defaulting and validation of the built-in kinds, as upstream Kubernetes does them.
 *
 * <p>The apiserver calls, for each create or update body: {@link
 * io.flotilla.api.validation.Defaults#apply} (fills in upstream's defaults in place), then {@link
 * io.flotilla.api.validation.Validation#validateMetadata} with the kind's {@link
 * io.flotilla.api.validation.Validation#nameRule}, then {@link
 * io.flotilla.api.validation.Validation#validate} with the stored object as {@code old} on update.
 * Problems come back as {@link io.flotilla.api.FieldError}s worded and placed as upstream's, so a
 * 422 from Flotilla reads like one from Kubernetes.
 *
 * <p>Shared vocabulary for other modules: {@link io.flotilla.api.validation.Quantity} (resource
 * quantities), {@link io.flotilla.api.validation.Names} (DNS names, label keys and values) and
 * {@link io.flotilla.api.validation.CronSchedule} (CronJob schedules).
 *
 * <p>Everything here is stateless and thread-safe and does no I/O. Objects are Jackson trees as
 * kubectl and the fabric8 client send them; malformed shapes are reported, never thrown.
 */
package io.flotilla.api.validation;
