package dev.meshctl.controlplane.bench;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Summarizes the measured changes of one kind (or all kinds).
 *
 * @param propagation applied -> last required ACK
 * @param translation {@code MeshModel.of} + translate + {@code cache.set}
 * @param model {@code MeshModel.of} alone
 * @param translate {@code Translator.translate} alone
 * @param publish every {@code cache.set} alone
 * @param pushed end of {@code cache.set} -> last response handed to the transport
 * @param ackTail last response -> last required ACK (the last client's apply, its ACK, the server reading it)
 * @param clientApply time the clients spent handling the change's responses, summed over clients
 * @param translationShare total translation time / total propagation time
 * @param bytesPerChange mean serialized response bytes of a change, over all proxies
 * @param bytesPerProxy mean bytes per proxy that received the change
 * @param proxiesReached mean number of proxies that received the change
 */
record KindReport(String kind, int changes, Distribution propagation, Distribution translation, Distribution model,
    Distribution translate, Distribution publish, Distribution pushed, Distribution ackTail, Distribution clientApply,
    double translationShare, double bytesPerChange, double bytesPerProxy, double proxiesReached) {

  /** Summarizes samples. */
  static KindReport of(String kind, List<ChangeSample> samples) {
    long translation = samples.stream().mapToLong(ChangeSample::translation).sum();
    long propagation = samples.stream().mapToLong(ChangeSample::propagation).sum();
    long bytes = samples.stream().mapToLong(ChangeSample::bytes).sum();
    long reached = samples.stream().mapToLong(ChangeSample::proxiesReached).sum();
    return new KindReport(kind, samples.size(),
        dist(samples, ChangeSample::propagation),
        dist(samples, ChangeSample::translation),
        dist(samples, ChangeSample::model),
        dist(samples, ChangeSample::translate),
        dist(samples, ChangeSample::publish),
        dist(samples, s -> s.lastResponse() - s.translation()),
        dist(samples, s -> s.propagation() - s.lastResponse()),
        dist(samples, ChangeSample::clientNanos),
        Distribution.round((double) translation / propagation),
        Distribution.round((double) bytes / samples.size()),
        Distribution.round(reached == 0 ? 0 : (double) bytes / reached),
        Distribution.round((double) reached / samples.size()));
  }

  private static Distribution dist(List<ChangeSample> samples, ToLongFunction<ChangeSample> f) {
    return Distribution.ofNanos(samples.stream().mapToLong(f).toArray());
  }
}
