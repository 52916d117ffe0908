package org.nasengine.backend.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuInit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;

/**
 * Can a CUDA backend open here, and if not, why: answered once per process, without throwing,
 * from the cheapest checks that can fail (driver library, device, compute capability, kernels
 * in the jar). Loading JCuda's native library is what fails on a machine without the driver.
 */
final class CudaProbe {
    /** The oldest architecture the fatbin has SASS for (kernels/CMakeLists.txt). */
    static final int MIN_COMPUTE_CAPABILITY = 80;

    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("([\\w.+-]+\\.so[.\\d]*): cannot open shared object file");

    private static String deviceReason;
    private static boolean deviceProbed;
    private static int deviceCount;
    private static String cublasReason;
    private static boolean cublasProbed;

    private CudaProbe() {}

    /** Null when a backend on device 0 can open, else the reason it cannot. */
    static synchronized String deviceUnavailableReason() {
        if (!deviceProbed) {
            deviceReason = probeDevice();
            deviceProbed = true;
        }
        return deviceReason;
    }

    /** CUDA devices the driver reports; 0 when no backend can open here (see {@link #deviceUnavailableReason}). */
    static synchronized int deviceCount() {
        return deviceUnavailableReason() == null ? deviceCount : 0;
    }

    /** Null when libcublas.so.12 loads through JCublas2, else the reason. */
    static synchronized String cublasUnavailableReason() {
        if (!cublasProbed) {
            cublasReason = probeCublas();
            cublasProbed = true;
        }
        return cublasReason;
    }

    private static String probeDevice() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] count = new int[1];
            cuDeviceGetCount(count);
            if (count[0] == 0) return "no CUDA device (the driver reports none)";
            deviceCount = count[0];
            CUdevice device = new CUdevice();
            cuDeviceGet(device, 0);
            int[] major = new int[1], minor = new int[1];
            cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
            cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
            int cc = major[0] * 10 + minor[0];
            if (cc < MIN_COMPUTE_CAPABILITY)
                return "CUDA device 0 has compute capability " + major[0] + "." + minor[0]
                        + "; the kernels are built for 8.0 and newer";
        } catch (LinkageError e) {
            return libraryReason("no CUDA driver", "JCuda's driver library", e);
        } catch (RuntimeException e) {
            // CudaException from cuInit and kin: a driver without a usable device
            return "the CUDA driver failed to initialize: " + firstLine(e.getMessage());
        }
        if (CudaProbe.class.getResource(CudaDevice.FATBIN_RESOURCE) == null)
            return "no CUDA kernels in the jar (" + CudaDevice.FATBIN_RESOURCE + " missing: built without nvcc)";
        return null;
    }

    private static String probeCublas() {
        try {
            JCublas2.setExceptionsEnabled(true);   // runs JCublas2's static initializer: loads the library
            return null;
        } catch (LinkageError e) {
            return libraryReason("cuBLAS 12 not loadable", "JCuda's cuBLAS library", e);
        }
    }

    /** "no CUDA driver (libcuda.so.1 not found)" from JCuda's long UnsatisfiedLinkError text. */
    static String libraryReason(String what, String jcudaLibrary, Throwable e) {
        String text = String.valueOf(e.getMessage());
        Matcher m = MISSING_LIBRARY.matcher(text);
        String missing = null;
        while (m.find()) missing = m.group(1);   // the last: JCuda's own library is found, its dependency not
        if (missing != null) return what + " (" + missing + " not found)";
        return what + " (" + jcudaLibrary + " failed to load: " + firstLine(text) + ")";
    }

    private static String firstLine(String s) {
        if (s == null) return "no message";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
