package io.flotilla.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonMergePatchTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        arguments("a member is changed", "{'k':'v'}", "{'k':'w'}", "{'k':'w'}"),
        arguments("a member is added", "{'k':'v'}", "{'m':'w'}", "{'k':'v','m':'w'}"),
        arguments("a null removes the only member", "{'k':'v'}", "{'k':null}", "{}"),
        arguments("a null removes one member", "{'k':'v','m':'w'}", "{'k':null}", "{'m':'w'}"),
        arguments("a string replaces an array", "{'k':['v']}", "{'k':'w'}", "{'k':'w'}"),
        arguments("an array replaces a string", "{'k':'w'}", "{'k':['v']}", "{'k':['v']}"),
        arguments(
            "objects merge recursively",
            "{'k':{'m':'v'}}",
            "{'k':{'m':'w','n':null}}",
            "{'k':{'m':'w'}}"),
        arguments(
            "arrays are replaced, never merged", "{'k':[{'m':'v'}]}", "{'k':[1]}", "{'k':[1]}"),
        arguments("an array patch replaces an array", "['a','b']", "['c','d']", "['c','d']"),
        arguments("an array patch replaces an object", "{'k':'v'}", "['c']", "['c']"),
        arguments("a null patch replaces everything", "{'k':'v'}", "null", "null"),
        arguments("a string patch replaces everything", "{'k':'v'}", "'s'", "'s'"),
        arguments(
            "nulls already in the target are kept", "{'e':null}", "{'k':1}", "{'e':null,'k':1}"),
        arguments(
            "an object patch turns a non-object into an object",
            "[1,2]",
            "{'k':'v','m':null}",
            "{'k':'v'}"),
        arguments(
            "nulls inside added objects are dropped",
            "{}",
            "{'a':{'b':{'c':null}}}",
            "{'a':{'b':{}}}"),
        arguments(
            "a label is removed with null",
            "{'metadata':{'labels':{'app':'web','tier':'front'}}}",
            "{'metadata':{'labels':{'tier':null}}}",
            "{'metadata':{'labels':{'app':'web'}}}"),
        arguments(
            "containers are replaced as a whole",
            "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'y'}]}}",
            "{'spec':{'containers':[{'name':'a','image':'y'}]}}"),
        arguments("an empty patch changes nothing", "{'k':{'m':1}}", "{}", "{'k':{'m':1}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mergesAsRfc7386Says(String name, String target, String patch, String expected) {
    JsonNode doc = Fixtures.json(target);
    JsonNode before = doc.deepCopy();
    JsonNode p = Fixtures.json(patch);
    JsonNode patchBefore = p.deepCopy();
    assertThat(JsonMergePatch.apply(doc, p)).isEqualTo(Fixtures.json(expected));
    assertThat(doc).as("target unchanged").isEqualTo(before);
    assertThat(p).as("patch unchanged").isEqualTo(patchBefore);
  }

  @Test
  void refusesAMissingPatchDocument() {
    assertThatThrownBy(() -> JsonMergePatch.apply(Fixtures.json("{}"), MissingNode.getInstance()))
        .isInstanceOf(PatchException.class)
        .extracting(e -> ((PatchException) e).reason())
        .isEqualTo(PatchException.Reason.MALFORMED);
  }
}
