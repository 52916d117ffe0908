package org.nasengine.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A device pointer whose raw address can be read (to pack into kernel argument structs such as
 * the join's input table) and offset by whole float32/int32 elements. JCuda keeps both the address
 * and the offset protected, hence the subclass.
 */
final class DevicePtr extends CUdeviceptr {
    DevicePtr() {}

    private DevicePtr(DevicePtr base, long byteOffset) {
        super(base, byteOffset);
    }

    /** Memory not allocated through JCuda (the tests' kernel emulator hands out host addresses). */
    static DevicePtr ofAddress(long address) {
        return new DevicePtr(new DevicePtr(), address);
    }

    /** The address as the device sees it, offset included. */
    long address() {
        return getNativePointer() + getByteOffset();
    }

    /** This pointer advanced by {@code elements} 4-byte elements. */
    DevicePtr plus(long elements) {
        return elements == 0 ? this : new DevicePtr(this, elements * Float.BYTES);
    }
}
