package dev.meshctl.objects.istio;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** Selects the pods a policy applies to by their labels; an empty selector selects the whole namespace. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WorkloadSelector(Map<String, String> matchLabels) {
  public WorkloadSelector {
    matchLabels = Lists.of(matchLabels);
  }
}
