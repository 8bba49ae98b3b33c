package dev.meshctl.api.discovery;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoUtils;

/** Describes the {@code meshctl.discovery.AggregatedDiscoveryService} gRPC service. */
public final class AggregatedDiscoveryServiceGrpc {

  /** Fully-qualified service name as it appears on the wire. */
  public static final String SERVICE_NAME = "meshctl.discovery.AggregatedDiscoveryService";

  private static final MethodDescriptor<DeltaDiscoveryRequest, DeltaDiscoveryResponse> DELTA_RESOURCES =
      MethodDescriptor.<DeltaDiscoveryRequest, DeltaDiscoveryResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, "DeltaResources"))
          .setRequestMarshaller(ProtoUtils.marshaller(DeltaDiscoveryRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(DeltaDiscoveryResponse.getDefaultInstance()))
          .setSampledToLocalTracing(true)
          .build();

  private static final ServiceDescriptor SERVICE =
      ServiceDescriptor.newBuilder(SERVICE_NAME).addMethod(DELTA_RESOURCES).build();

  private AggregatedDiscoveryServiceGrpc() {}

  /** Returns the bidirectional {@code DeltaResources} method. */
  public static MethodDescriptor<DeltaDiscoveryRequest, DeltaDiscoveryResponse> deltaResourcesMethod() {
    return DELTA_RESOURCES;
  }

  /** Returns the service descriptor, for building a {@code ServerServiceDefinition}. */
  public static ServiceDescriptor serviceDescriptor() {
    return SERVICE;
  }
}
