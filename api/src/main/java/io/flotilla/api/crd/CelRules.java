package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.flotilla.api.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Compiles x-kubernetes-validations rules with Google's cel-java: {@code self} (and {@code oldSelf}
 * in transition rules) are dynamically typed, holding the value at the rule's schema node as maps,
 * lists, int64, double, string, bool and null. Kubernetes' own CEL libraries (quantity, url, ip,
 * isSorted, format, …) and cost budgets are not available. Thread-safe: compiled programs are
 * immutable.
 */
final class CelRules {
  private static final Pattern EVAL_PREFIX = Pattern.compile("^evaluation error at [^:]*:\\d+: ");
  private static final Pattern MISSING_KEY =
      Pattern.compile("key '([^']*)' is not present in map\\.?");
  private static final Pattern OLD_SELF = Pattern.compile("\\boldSelf\\b");
  private static final CelCompiler RULES = compiler(SimpleType.BOOL);
  private static final CelCompiler MESSAGES = compiler(SimpleType.STRING);
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private CelRules() {}

  /**
   * One compiled rule.
   *
   * @param rule the expression, for messages
   * @param program the compiled rule
   * @param message the fixed message, "" if none
   * @param messageProgram the compiled messageExpression, or null
   * @param reason the cause type to report (FieldValueInvalid unless the rule says otherwise)
   * @param fieldPath the rule's fieldPath relative to its node (".spec.x"), "" if none
   * @param transition whether the rule reads oldSelf (evaluated only on updates)
   */
  record Rule(
      String rule,
      CelRuntime.Program program,
      String message,
      CelRuntime.Program messageProgram,
      String reason,
      String fieldPath,
      boolean transition) {}

  private static CelCompiler compiler(dev.cel.common.types.CelType result) {
    return CelCompilerFactory.standardCelCompilerBuilder()
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("self", SimpleType.DYN)
        .addVar("oldSelf", SimpleType.DYN)
        .setResultType(result)
        .build();
  }

  /**
   * Compiles the rules of one schema node, adding an error for each that does not compile at {@code
   * path}.x-kubernetes-validations[i].
   */
  static List<Rule> compile(JsonNode rules, String path, List<FieldError> errors) {
    List<Rule> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      JsonNode r = rules.get(i);
      String at = path + ".x-kubernetes-validations[" + i + "]";
      String rule = r.path("rule").asText("");
      if (rule.isEmpty()) {
        errors.add(FieldError.required(at + ".rule"));
        continue;
      }
      CelRuntime.Program program = program(RULES, rule, at + ".rule", errors);
      String messageExpression = r.path("messageExpression").asText("");
      CelRuntime.Program messageProgram =
          messageExpression.isEmpty()
              ? null
              : program(MESSAGES, messageExpression, at + ".messageExpression", errors);
      if (program != null && (messageExpression.isEmpty() || messageProgram != null)) {
        out.add(
            new Rule(
                rule,
                program,
                r.path("message").asText(""),
                messageProgram,
                r.path("reason").asText("FieldValueInvalid"),
                r.path("fieldPath").asText(""),
                OLD_SELF.matcher(rule).find()));
      }
    }
    return out;
  }

  private static CelRuntime.Program program(
      CelCompiler compiler, String expression, String at, List<FieldError> errors) {
    try {
      CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
      return RUNTIME.createProgram(ast);
    } catch (CelValidationException e) {
      errors.add(FieldError.invalid(at, expression, "compilation failed: " + e.getMessage()));
    } catch (dev.cel.common.CelException e) {
      errors.add(FieldError.invalid(at, expression, "compilation failed: " + e.getMessage()));
    }
    return null;
  }

  /**
   * Evaluates one rule against a value (and its old value on updates), returning the error to
   * report at {@code path}, or null when the rule holds or is a transition rule without old value.
   */
  static FieldError evaluate(Rule r, JsonNode schema, JsonNode value, JsonNode old, String path) {
    if (r.transition() && old == null) {
      return null;
    }
    var vars = new java.util.HashMap<String, Object>();
    vars.put("self", CelValues.of(schema, value));
    if (old != null) {
      vars.put("oldSelf", CelValues.of(schema, old));
    }
    String at = r.fieldPath().isEmpty() ? path : join(path, r.fieldPath());
    String type = Schemas.type(schema).isEmpty() ? Schemas.jsonType(value) : Schemas.type(schema);
    try {
      if (Boolean.TRUE.equals(r.program().eval(vars))) {
        return null;
      }
      return failure(r.reason(), at, type, message(r, vars));
    } catch (CelEvaluationException e) {
      return FieldError.invalid(
          at, type, goMessage(e.getMessage()) + " evaluating rule: " + r.rule());
    }
  }

  /** cel-java's evaluation errors in cel-go's words, which kubectl users see upstream. */
  static String goMessage(String javaMessage) {
    String m = EVAL_PREFIX.matcher(javaMessage).replaceFirst("");
    return MISSING_KEY.matcher(m).replaceAll("no such key: $1");
  }

  private static String message(Rule r, java.util.Map<String, Object> vars) {
    if (!r.message().isEmpty()) {
      return r.message();
    }
    if (r.messageProgram() != null) {
      try {
        Object m = r.messageProgram().eval(vars);
        if (m instanceof String s && !s.isBlank()) {
          return s;
        }
      } catch (CelEvaluationException e) {
        // Upstream falls back to the default message when messageExpression fails.
      }
    }
    return "failed rule: " + r.rule();
  }

  private static FieldError failure(String reason, String at, String type, String message) {
    return switch (reason) {
      case "FieldValueForbidden" -> FieldError.forbidden(at, message);
      case "FieldValueRequired" ->
          new FieldError("FieldValueRequired", at, "Required value: " + message);
      case "FieldValueDuplicate" ->
          new FieldError(
              "FieldValueDuplicate",
              at,
              "Duplicate value: " + Schemas.quote(type) + ": " + message);
      default -> FieldError.invalid(at, type, message);
    };
  }

  private static String join(String path, String fieldPath) {
    String relative = fieldPath.startsWith(".") ? fieldPath.substring(1) : fieldPath;
    return path.isEmpty() ? relative : path + "." + relative;
  }
}
