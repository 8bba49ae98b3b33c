package dev.meshctl.api.ca;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * Describes the {@code meshctl.ca.CertificateService} gRPC service by hand, since no protoc gRPC
 * plugin is available to generate it. Servers bind {@link #CREATE_CERTIFICATE} with
 * {@code ServerCalls.asyncUnaryCall}; clients call it with {@code ClientCalls.blockingUnaryCall}.
 */
public final class CertificateServiceGrpc {

    /** The fully qualified service name. */
    public static final String SERVICE_NAME = "meshctl.ca.CertificateService";

    /** The unary {@code CreateCertificate} method: a CSR for one identity in, a PEM chain out. */
    public static final MethodDescriptor<CertificateRequest, CertificateResponse> CREATE_CERTIFICATE =
            MethodDescriptor.<CertificateRequest, CertificateResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, "CreateCertificate"))
                    .setRequestMarshaller(ProtoUtils.marshaller(CertificateRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(CertificateResponse.getDefaultInstance()))
                    .setSampledToLocalTracing(true)
                    .build();

    private static final ServiceDescriptor SERVICE_DESCRIPTOR =
            ServiceDescriptor.newBuilder(SERVICE_NAME).addMethod(CREATE_CERTIFICATE).build();

    private CertificateServiceGrpc() {
    }

    /** Returns the service descriptor to build a {@code ServerServiceDefinition} from. */
    public static ServiceDescriptor serviceDescriptor() {
        return SERVICE_DESCRIPTOR;
    }
}
