package dev.meshctl.workshops.runner;

import dev.meshctl.workshops.check.CheckEngine;
import dev.meshctl.workshops.check.CommandExecutor;
import dev.meshctl.workshops.check.Templates;
import dev.meshctl.workshops.model.Workshop;
import dev.meshctl.workshops.model.WorkshopCatalog;
import dev.meshctl.workshops.render.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What the runner works with: the lab, the catalog, how commands run and checks are judged, where progress and
 * files go, and where it prints.
 *
 * @param filesRoot where each workshop's shipped files are copied ({@code {{dir}}} is {@code filesRoot/<name>})
 * @param workRoot scratch space ({@code {{workdir}}} is {@code workRoot/<name>})
 * @param samples the repository's {@code samples} folder ({@code {{samples}}})
 * @param labUp tells whether the lab is up now
 */
public record Workspace(String lab, WorkshopCatalog catalog, CommandExecutor executor, CheckEngine engine,
    ProgressStore store, Path filesRoot, Path workRoot, Path samples, BooleanSupplier labUp, Console console) {

  public Workspace {
    Objects.requireNonNull(lab, "lab");
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(filesRoot, "filesRoot");
    Objects.requireNonNull(workRoot, "workRoot");
    Objects.requireNonNull(samples, "samples");
    Objects.requireNonNull(labUp, "labUp");
    Objects.requireNonNull(console, "console");
  }

  /** Returns the variables of {@code workshop}: built-ins (copying its files into place) plus saved values. */
  public Templates templates(Workshop workshop, Map<String, String> saved) {
    Path dir = catalog.extract(workshop, filesRoot.resolve(workshop.name()));
    Path work = workRoot.resolve(workshop.name());
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the workshop's scratch folder " + work, e);
    }
    Map<String, String> values = new LinkedHashMap<>(saved);
    values.put("lab", lab);
    values.put("dir", dir.toString());
    values.put("workdir", work.toString());
    values.put("samples", samples.toString());
    return new Templates(values);
  }
}
