package org.nasengine.autograd;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nasengine.backend.ConvGeometry;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.backend.ref.JavaBackend;
import org.nasengine.tensor.Scope;
import org.nasengine.tensor.Tensor;

/** Gradient checks of convolution (strides, dilation, groups, odd kernels), batch norm and pooling. */
class ConvGradTest {
    private final JavaBackend be = new JavaBackend();
    private final GradCheck gc = new GradCheck(be, 23);
    private final Scope scope = Scope.open();

    @AfterEach
    void close() {
        scope.close();
        be.close();
    }

    @Test
    void conv3x3Same() {
        gc.check("conv 3x3 same", List.of(gc.input(2, 3, 5, 5), gc.input(4, 3, 3, 3)),
                in -> List.of(Conv.conv2dSame(in.get(0), in.get(1), 1, 1, 1)));
    }

    @Test
    void convStride3() {
        // 8x7 input, stride 3: windows overlap the right and bottom edges unevenly
        gc.check("conv 3x3 stride 3", List.of(gc.input(2, 2, 8, 7), gc.input(3, 2, 3, 3)),
                in -> List.of(Conv.conv2dSame(in.get(0), in.get(1), 3, 1, 1)));
    }

    @Test
    void convDilation2() {
        gc.check("conv 3x3 dilation 2", List.of(gc.input(1, 2, 7, 6), gc.input(2, 2, 3, 3)),
                in -> List.of(Conv.conv2dSame(in.get(0), in.get(1), 1, 2, 1)));
    }

    @Test
    void depthwise() {
        gc.check("depthwise 5x5", List.of(gc.input(2, 3, 6, 6), gc.input(3, 1, 5, 5)),
                in -> List.of(Conv.conv2dSame(in.get(0), in.get(1), 1, 1, 3)));
        gc.check("depthwise 3x3 stride 2", List.of(gc.input(1, 4, 5, 5), gc.input(4, 1, 3, 3)),
                in -> List.of(Conv.conv2dSame(in.get(0), in.get(1), 2, 1, 4)));
    }

    @Test
    void grouped() {
        gc.check("conv groups 2", List.of(gc.input(1, 4, 4, 4), gc.input(6, 2, 3, 3)),
                in -> List.of(Conv.conv2dSame(in.get(0), in.get(1), 1, 1, 2)));
    }

    @Test
    void asymmetricKernels() {
        gc.check("conv 7x1", List.of(gc.input(1, 2, 9, 4), gc.input(3, 2, 7, 1)),
                in -> List.of(Conv.conv2dSame(in.get(0), in.get(1), 1, 1, 1)));
        gc.check("conv 1x3", List.of(gc.input(1, 2, 4, 5), gc.input(2, 2, 1, 3)),
                in -> List.of(Conv.conv2dSame(in.get(0), in.get(1), 1, 1, 1)));
    }

    @Test
    void explicitGeometry() {
        // unequal strides and pads through the full geometry
        Tensor x = gc.input(1, 2, 6, 7), w = gc.input(2, 2, 3, 2);
        ConvGeometry g = Conv.geometry(x, w, 2, 1, 0, 1, 1, 2, 1);
        gc.check("conv explicit geometry", List.of(x, w), in -> List.of(Conv.conv2d(in.get(0), in.get(1), g)));
    }

    @Test
    void batchNormTraining() {
        Tensor mean = Tensor.zeros(be, 3), var = Tensor.zeros(be, 3);
        gc.check("batch norm (N,C,H,W)", List.of(gc.input(3, 3, 2, 2), gc.uniform(0.5, 1.5, 3), gc.input(3)),
                in -> List.of(BatchNorm.batchNorm(in.get(0), in.get(1), in.get(2), mean, var, 1e-5f, 0.1f, true)));
        Tensor mean2 = Tensor.zeros(be, 4), var2 = Tensor.zeros(be, 4);
        gc.check("batch norm (N,C)", List.of(gc.input(5, 4), gc.uniform(0.5, 1.5, 4), gc.input(4)),
                in -> List.of(BatchNorm.batchNorm(in.get(0), in.get(1), in.get(2), mean2, var2, 1e-5f, 0.1f, true)));
    }

    @Test
    void batchNormFollowedByRelu() {
        Tensor mean = Tensor.zeros(be, 2), var = Tensor.zeros(be, 2);
        // the conv -> bn -> relu unit of the macro CNN, end to end
        gc.check("conv-bn-relu", List.of(gc.input(2, 2, 4, 4), gc.input(2, 2, 3, 3), gc.uniform(0.5, 1.5, 2), gc.input(2)),
                in -> List.of(Activations.tanh(BatchNorm.batchNorm(Conv.conv2dSame(in.get(0), in.get(1), 1, 1, 1),
                        in.get(2), in.get(3), mean, var, 1e-5f, 0.1f, true))));
    }

    @Test
    void maxPool() {
        gc.check("max pool 3x3 stride 1 same", List.of(gc.distinct(2, 2, 5, 5)),
                in -> List.of(Pooling.pool2dSame(PoolGeometry.Kind.MAX, in.get(0), 3, 1)));
        gc.check("max pool 3x3 stride 2 same", List.of(gc.distinct(1, 2, 7, 6)),
                in -> List.of(Pooling.pool2dSame(PoolGeometry.Kind.MAX, in.get(0), 3, 2)));
        gc.check("max pool 2x2 stride 2", List.of(gc.distinct(1, 3, 4, 6)),
                in -> List.of(Pooling.maxPool2d(in.get(0), 2, 2, 0)));
    }

    @Test
    void avgPoolWithPadding() {
        gc.check("avg pool 3x3 stride 1 pad 1", List.of(gc.input(2, 2, 5, 4)),
                in -> List.of(Pooling.avgPool2d(in.get(0), 3, 1, 1)));
        gc.check("avg pool 3x3 stride 2 pad 1", List.of(gc.input(1, 2, 7, 5)),
                in -> List.of(Pooling.avgPool2d(in.get(0), 3, 2, 1)));
    }

    @Test
    void globalAvgPool() {
        gc.check("global avg pool", List.of(gc.input(2, 3, 4, 5)), in -> List.of(Pooling.globalAvgPool(in.get(0))));
    }
}
