package org.nasengine.backend.cuda;

import org.nasengine.backend.Backend;
import org.nasengine.backend.BackendProvider;

/** CUDA on GPU {@code N} of cuda:N (cuda: GPU 0); {@code auto}'s first choice. */
public final class CudaBackendProvider implements BackendProvider {
    private static final String PREFIX = "cuda:";

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int preference() {
        return 2;
    }

    @Override
    public String unavailableReason() {
        return CudaBackend.unavailableReason();
    }

    @Override
    public boolean accepts(String device) {
        if (!device.equals(name()) && !device.startsWith(PREFIX)) return false;
        ordinal(device);   // a malformed index fails now, wherever CUDA is
        return true;
    }

    @Override
    public String forms() {
        return "cuda, cuda:N";
    }

    @Override
    public Backend open(String device) {
        return new CudaBackend(ordinal(device), GemmPath.AUTO);
    }

    @Override
    public String describe() {
        try (CudaBackend b = new CudaBackend(0, GemmPath.AUTO)) {
            String cublas = CudaBackend.cublasUnavailableReason();
            return b.deviceDescription() + "; kernels loaded from the jar; GEMM " + b.gemmPath()
                    + (cublas == null ? "" : " (" + cublas + ")");
        } catch (RuntimeException e) {
            return "found but failed to open: " + e.getMessage();
        }
    }

    private static int ordinal(String device) {
        if (device.equals("cuda")) return 0;
        try {
            int n = Integer.parseInt(device.substring(PREFIX.length()));
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("device '" + device + "': the GPU index must be a number >= 0");
        }
    }
}
