package io.flotilla.api.patch;

import static io.flotilla.api.patch.PatchException.Reason.MALFORMED;
import static io.flotilla.api.patch.PatchException.Reason.UNPROCESSABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonPatchTest {

  static Stream<Arguments> applied() {
    return Stream.of(
        arguments(
            "add sets a new member",
            "{'a':1}",
            "[{'op':'add','path':'/b','value':2}]",
            "{'a':1,'b':2}"),
        arguments(
            "add replaces an existing member",
            "{'a':1}",
            "[{'op':'add','path':'/a','value':[1]}]",
            "{'a':[1]}"),
        arguments(
            "add inserts into an array",
            "{'xs':['x','z']}",
            "[{'op':'add','path':'/xs/1','value':'y'}]",
            "{'xs':['x','y','z']}"),
        arguments(
            "add with - appends to an array",
            "{'xs':['x']}",
            "[{'op':'add','path':'/xs/-','value':'y'}]",
            "{'xs':['x','y']}"),
        arguments(
            "add at the array's length appends",
            "{'xs':['x']}",
            "[{'op':'add','path':'/xs/1','value':'y'}]",
            "{'xs':['x','y']}"),
        arguments(
            "add of an array value adds it as one element",
            "{'xs':['x']}",
            "[{'op':'add','path':'/xs/-','value':['y','z']}]",
            "{'xs':['x',['y','z']]}"),
        arguments(
            "add of a nested object",
            "{'spec':{}}",
            "[{'op':'add','path':'/spec/template','value':{'a':{'b':1}}}]",
            "{'spec':{'template':{'a':{'b':1}}}}"),
        arguments(
            "add with a negative index counts from the end",
            "{'xs':['a','b']}",
            "[{'op':'add','path':'/xs/-1','value':'n'}]",
            "{'xs':['a','n','b']}"),
        arguments(
            "remove drops a member", "{'a':1,'b':2}", "[{'op':'remove','path':'/a'}]", "{'b':2}"),
        arguments(
            "remove drops an array element",
            "{'xs':['a','b','c']}",
            "[{'op':'remove','path':'/xs/1'}]",
            "{'xs':['a','c']}"),
        arguments(
            "remove with -1 drops the last element",
            "{'xs':['a','b','c']}",
            "[{'op':'remove','path':'/xs/-1'}]",
            "{'xs':['a','b']}"),
        arguments(
            "replace changes a value",
            "{'spec':{'replicas':1}}",
            "[{'op':'replace','path':'/spec/replicas','value':3}]",
            "{'spec':{'replicas':3}}"),
        arguments(
            "replace changes an array element",
            "{'xs':['a','b']}",
            "[{'op':'replace','path':'/xs/0','value':'z'}]",
            "{'xs':['z','b']}"),
        arguments(
            "replace of the root replaces the document",
            "{'a':1}",
            "[{'op':'replace','path':'','value':{'b':2}}]",
            "{'b':2}"),
        arguments(
            "move takes a member to another object",
            "{'a':{'b':1},'c':{}}",
            "[{'op':'move','from':'/a/b','path':'/c/d'}]",
            "{'a':{},'c':{'d':1}}"),
        arguments(
            "move reorders an array",
            "{'xs':['a','b','c','d']}",
            "[{'op':'move','from':'/xs/1','path':'/xs/3'}]",
            "{'xs':['a','c','d','b']}"),
        arguments(
            "copy duplicates a value",
            "{'a':{'b':[1]}}",
            "[{'op':'copy','from':'/a','path':'/c'}]",
            "{'a':{'b':[1]},'c':{'b':[1]}}"),
        arguments(
            "a passing test changes nothing",
            "{'a':{'b':[1,'x']}}",
            "[{'op':'test','path':'/a','value':{'b':[1,'x']}}]",
            "{'a':{'b':[1,'x']}}"),
        arguments(
            "test compares numbers by value",
            "{'n':1}",
            "[{'op':'test','path':'/n','value':1.0}]",
            "{'n':1}"),
        arguments(
            "~1 in a token stands for a slash",
            "{'metadata':{'labels':{}}}",
            "[{'op':'add','path':'/metadata/labels/app.kubernetes.io~1name','value':'web'}]",
            "{'metadata':{'labels':{'app.kubernetes.io/name':'web'}}}"),
        arguments(
            "~0 in a token stands for a tilde",
            "{'a~b':1}",
            "[{'op':'replace','path':'/a~0b','value':2}]",
            "{'a~b':2}"),
        arguments(
            "~01 is a tilde followed by 1",
            "{'~1':10,'/':9}",
            "[{'op':'test','path':'/~01','value':10},{'op':'test','path':'/~1','value':9}]",
            "{'~1':10,'/':9}"),
        arguments(
            "members other than op, path, from and value are ignored",
            "{'a':1}",
            "[{'op':'add','path':'/b','value':2,'note':'x'}]",
            "{'a':1,'b':2}"),
        arguments(
            "operations apply in order",
            "{'xs':[]}",
            "[{'op':'add','path':'/xs/-','value':1},{'op':'add','path':'/xs/0','value':0},"
                + "{'op':'test','path':'/xs','value':[0,1]}]",
            "{'xs':[0,1]}"),
        arguments("an empty patch changes nothing", "{'a':1}", "[]", "{'a':1}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("applied")
  void appliesOperations(String name, String target, String patch, String expected) {
    JsonNode doc = Fixtures.json(target);
    JsonNode before = doc.deepCopy();
    assertThat(JsonPatch.apply(doc, Fixtures.json(patch))).isEqualTo(Fixtures.json(expected));
    assertThat(doc).as("target unchanged").isEqualTo(before);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        arguments(
            "a patch that is not an array",
            "{'op':'add','path':'/a','value':1}",
            MALFORMED,
            "must be an array"),
        arguments(
            "an operation that is not an object", "[1]", MALFORMED, "operation 0 is not an object"),
        arguments(
            "an unknown op", "[{'op':'merge','path':'/a'}]", MALFORMED, "unknown op \"merge\""),
        arguments("an operation without op", "[{'path':'/a'}]", MALFORMED, "has no string \"op\""),
        arguments(
            "an add without value", "[{'op':'add','path':'/a'}]", MALFORMED, "has no \"value\""),
        arguments(
            "a move without from",
            "[{'op':'move','path':'/a'}]",
            MALFORMED,
            "has no string \"from\""),
        arguments(
            "a path without a leading slash",
            "[{'op':'remove','path':'a'}]",
            MALFORMED,
            "must start with \"/\""),
        arguments(
            "a bad escape", "[{'op':'remove','path':'/a~2'}]", MALFORMED, "not followed by 0 or 1"),
        arguments(
            "adding below a missing member",
            "[{'op':'add','path':'/x/y','value':1}]",
            UNPROCESSABLE,
            "operation 0 (add /x/y): parent /x does not exist"),
        arguments(
            "adding past the end of an array",
            "[{'op':'add','path':'/xs/5','value':1}]",
            UNPROCESSABLE,
            "out of bounds"),
        arguments(
            "adding below a scalar",
            "[{'op':'add','path':'/a/b','value':1}]",
            UNPROCESSABLE,
            "parent /a is a number value"),
        arguments(
            "removing a missing member",
            "[{'op':'remove','path':'/missing'}]",
            UNPROCESSABLE,
            "path /missing does not exist"),
        arguments(
            "removing with - as index",
            "[{'op':'remove','path':'/xs/-'}]",
            UNPROCESSABLE,
            "is not an array index"),
        arguments(
            "removing past the end of an array",
            "[{'op':'remove','path':'/xs/2'}]",
            UNPROCESSABLE,
            "out of bounds"),
        arguments(
            "replacing a missing member",
            "[{'op':'replace','path':'/b','value':1}]",
            UNPROCESSABLE,
            "path /b does not exist"),
        arguments(
            "moving from a missing member",
            "[{'op':'move','from':'/b','path':'/c'}]",
            UNPROCESSABLE,
            "from path /b does not exist"),
        arguments(
            "moving a value into itself",
            "[{'op':'move','from':'/o','path':'/o/p'}]",
            UNPROCESSABLE,
            "cannot move /o into itself"),
        arguments(
            "a failing test",
            "[{'op':'test','path':'/a','value':2}]",
            UNPROCESSABLE,
            "test failed: value at /a is 1, not 2"),
        arguments(
            "a test that tells a number from a string",
            "[{'op':'test','path':'/a','value':'1'}]",
            UNPROCESSABLE,
            "test failed"),
        arguments(
            "a test of a missing member",
            "[{'op':'test','path':'/zz','value':1}]",
            UNPROCESSABLE,
            "is missing"),
        arguments(
            "a failure after operations that applied names its index",
            "[{'op':'add','path':'/b','value':2},{'op':'remove','path':'/c'}]",
            UNPROCESSABLE,
            "operation 1 (remove /c)"),
        arguments(
            "removing the whole document",
            "[{'op':'remove','path':''}]",
            UNPROCESSABLE,
            "cannot remove the whole document"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWithTheReason(
      String name, String patch, PatchException.Reason reason, String message) {
    JsonNode doc = Fixtures.json("{'a':1,'xs':['p','q'],'o':{'k':1}}");
    JsonNode before = doc.deepCopy();
    assertThatThrownBy(() -> JsonPatch.apply(doc, Fixtures.json(patch)))
        .isInstanceOf(PatchException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((PatchException) e).reason())
        .isEqualTo(reason);
    assertThat(doc).as("target unchanged").isEqualTo(before);
  }

  @Test
  void malformedPatchesAnswer400AndInapplicableOnes422() {
    assertThat(MALFORMED.httpStatus()).isEqualTo(400);
    assertThat(UNPROCESSABLE.httpStatus()).isEqualTo(422);
  }
}
