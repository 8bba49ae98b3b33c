package dev.meshctl.workshops.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks what the YAML schema cannot: unique ids, at least one check per step, and known template variables. */
public final class WorkshopValidator {
  /** Variables every workshop may use: the lab name, its files, a scratch folder, and the samples folder. */
  public static final Set<String> BUILTINS = Set.of("lab", "dir", "workdir", "samples");
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

  private WorkshopValidator() {}

  /** Throws a {@link WorkshopFormatException} naming {@code file} and every problem found. */
  public static void validate(String file, Workshop workshop) {
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> known = new HashSet<>(BUILTINS);
    if (workshop.steps().isEmpty()) {
      problems.add("it has no steps");
    }
    for (String command : workshop.prerequisites().setup()) {
      unknown(command, known).forEach(v -> problems.add("prerequisites.setup: unknown variable {{" + v + "}}"));
    }
    for (int i = 0; i < workshop.steps().size(); i++) {
      Step step = workshop.steps().get(i);
      String where = "steps[" + i + "] (" + step.id() + ")";
      if (!ids.add(step.id())) {
        problems.add(where + ": step id is used twice");
      }
      if (step.checks().isEmpty()) {
        problems.add(where + ": a step needs at least one check");
      }
      for (String command : step.commands()) {
        unknown(command, known).forEach(v -> problems.add(where + ".commands: unknown variable {{" + v + "}}"));
      }
      Set<String> names = new HashSet<>();
      for (int c = 0; c < step.checks().size(); c++) {
        Check check = step.checks().get(c);
        String cw = where + ".checks[" + c + "] (" + check.name() + ")";
        if (!names.add(check.name())) {
          problems.add(cw + ": check name is used twice in the step");
        }
        if (check.hint().isBlank()) {
          problems.add(cw + ": a check needs a hint saying what to look at when it fails");
        }
        if (check.expect().equals(Expect.NOTHING)) {
          problems.add(cw + ": expect is empty, so the check could never fail");
        }
        String text = check.probe().toString() + " " + check.expect();
        unknown(text, known).forEach(v -> problems.add(cw + ": unknown variable {{" + v + "}}"));
        if (check.save() != null) {
          known.add(check.save());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new WorkshopFormatException(file + ": " + String.join("; ", problems));
    }
  }

  private static List<String> unknown(String text, Set<String> known) {
    List<String> out = new ArrayList<>();
    Matcher m = VARIABLE.matcher(text);
    while (m.find()) {
      if (!known.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return out;
  }
}
