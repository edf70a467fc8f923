package io.flotilla.api.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventBehaviorsTest {

  @Test
  void printsCoreEventWithSourceAndCount() {
    var event =
        Json.parse(
            "{metadata: {name: 'web.17a'}, type: 'Warning', reason: 'BackOff', message:"
                + " ' Back-off restarting \\n', involvedObject: {kind: 'Pod', name: 'web',"
                + " fieldPath: 'spec.containers{a}'}, source: {component: 'kubelet', host:"
                + " 'n1'}, count: 4, firstTimestamp: '2024-05-01T11:00:00Z', lastTimestamp:"
                + " '2024-05-01T11:59:00Z'}");

    assertThat(EventBehaviors.coreEvent().tableCells(event, Json.NOW))
        .containsExactly(
            "60s",
            "Warning",
            "BackOff",
            "pod/web",
            "spec.containers{a}",
            "kubelet, n1",
            "Back-off restarting",
            "60m",
            4L,
            "web.17a");
  }

  @Test
  void printsSingletonEventFromEventTimeWithCountOne() {
    var event =
        Json.parse(
            "{metadata: {name: 'e'}, type: 'Normal', reason: 'Scheduled', involvedObject: {kind:"
                + " 'Pod'}, eventTime: '2024-05-01T11:59:50.123456Z', reportingComponent:"
                + " 'default-scheduler'}");

    var cells = EventBehaviors.coreEvent().tableCells(event, Json.NOW);

    assertThat(cells.get(0)).isEqualTo("9s");
    assertThat(cells.get(3)).isEqualTo("pod");
    assertThat(cells.get(5)).isEqualTo("default-scheduler");
    assertThat(cells.get(8)).isEqualTo(1L);
  }

  @Test
  void printsEventsApiEventFromItsOwnFieldsAndSeries() {
    var event =
        Json.parse(
            "{metadata: {name: 'e2'}, type: 'Normal', reason: 'Pulled', note: 'pulled image',"
                + " regarding: {kind: 'Pod', name: 'web'}, reportingController: 'kubelet',"
                + " reportingInstance: 'n2', eventTime: '2024-05-01T11:00:00Z', series: {count:"
                + " 7, lastObservedTime: '2024-05-01T11:58:00Z'}}");

    assertThat(EventBehaviors.eventsEvent().tableCells(event, Json.NOW))
        .containsExactly(
            "2m",
            "Normal",
            "Pulled",
            "pod/web",
            "",
            "kubelet, n2",
            "pulled image",
            "60m",
            7L,
            "e2");
  }

  @Test
  void selectsCoreEventsOnInvolvedObjectAndEventsApiOnRegarding() {
    var core =
        Json.parse(
            "{involvedObject: {kind: 'Pod', name: 'web', uid: 'u1'}, reason: 'Killing', source:"
                + " {component: 'kubelet'}, type: 'Normal', reportingComponent: 'kubelet'}");
    var events =
        Json.parse(
            "{regarding: {kind: 'Pod', name: 'web', namespace: 'ns'}, reason: 'Killing',"
                + " deprecatedSource: {component: 'kubelet'}, type: 'Normal', reportingController:"
                + " 'kubelet'}");
    var coreSelectors = EventBehaviors.coreEvent().fieldSelectors();
    var eventsSelectors = EventBehaviors.eventsEvent().fieldSelectors();

    assertThat(coreSelectors.get("involvedObject.name").apply(core)).isEqualTo("web");
    assertThat(coreSelectors.get("involvedObject.uid").apply(core)).isEqualTo("u1");
    assertThat(coreSelectors.get("involvedObject.fieldPath").apply(core)).isEmpty();
    assertThat(coreSelectors.get("source").apply(core)).isEqualTo("kubelet");
    assertThat(coreSelectors.get("reportingComponent").apply(core)).isEqualTo("kubelet");
    assertThat(coreSelectors).doesNotContainKey("regarding.name");
    assertThat(eventsSelectors.get("regarding.namespace").apply(events)).isEqualTo("ns");
    assertThat(eventsSelectors.get("source").apply(events)).isEqualTo("kubelet");
    assertThat(eventsSelectors.get("reportingController").apply(events)).isEqualTo("kubelet");
    assertThat(eventsSelectors.get("reason").apply(events)).isEqualTo("Killing");
    assertThat(eventsSelectors).doesNotContainKey("involvedObject.name");
  }
}
