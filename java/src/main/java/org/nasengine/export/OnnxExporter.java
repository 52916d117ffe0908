package org.nasengine.export;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import org.nasengine.backend.PoolGeometry;
import org.nasengine.export.InferenceGraph.Add;
import org.nasengine.export.InferenceGraph.BatchNorm;
import org.nasengine.export.InferenceGraph.Concat;
import org.nasengine.export.InferenceGraph.Conv;
import org.nasengine.export.InferenceGraph.GlobalAvgPool;
import org.nasengine.export.InferenceGraph.Linear;
import org.nasengine.export.InferenceGraph.Normalize;
import org.nasengine.export.InferenceGraph.Op;
import org.nasengine.export.InferenceGraph.Pad;
import org.nasengine.export.InferenceGraph.Pool;
import org.nasengine.export.InferenceGraph.Relu;
import org.nasengine.export.InferenceGraph.Value;
import org.nasengine.export.InferenceGraph.Zeros;

/**
 * An {@link InferenceGraph} as an ONNX model (opset 17, IR version 8), built with the classes
 * protoc generates from the official onnx.proto. Input {@code images}: float32 (N, C, H, W) with
 * pixel values in [0, 1], N free; output {@code logits}: (N, classes). Batch norm stays a
 * BatchNormalization node (inference mode); joins are Pad + Concat; the weights are initializers
 * under their safetensors names.
 */
public final class OnnxExporter {
    public static final int OPSET = 17;
    public static final int IR_VERSION = 8;

    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private int constants;

    private OnnxExporter() {}

    public static Onnx.ModelProto model(InferenceGraph g, Map<String, String> metadata) {
        OnnxExporter e = new OnnxExporter();
        e.graph.setName("nas-engine");
        e.graph.addInput(e.valueInfo(g.input().name(), g.input()));
        for (Op op : g.ops()) e.emit(op, g);
        // the graph's last value is renamed to the output by an Identity, so that its name is stable
        e.graph.addNode(node("Identity", List.of(g.output().name()), "logits"));
        e.graph.addOutput(e.valueInfo("logits", g.output()));
        for (Map.Entry<String, Safetensors.Entry> t : g.tensors().entrySet()) {
            Safetensors.Entry v = t.getValue();
            boolean perChannel = t.getKey().equals(NetworkWeights.NORM_MEAN) || t.getKey().equals(NetworkWeights.NORM_STD);
            int[] dims = perChannel ? new int[] {1, v.shape()[0], 1, 1} : v.shape(); // broadcast over (N, C, H, W)
            e.graph.addInitializer(floats(t.getKey(), v.values(), dims));
        }
        Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("nas-engine")
                .setProducerVersion("0.1.0")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(e.graph);
        metadata.forEach((k, v) -> m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    public static void write(InferenceGraph g, Map<String, String> metadata, Path file) throws IOException {
        Onnx.ModelProto model = model(g, metadata);
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
    }

    private void emit(Op op, InferenceGraph g) {
        switch (op) {
            case Normalize n -> {
                String centred = n.out().name() + "_centred";
                graph.addNode(node("Sub", List.of(n.in().name(), n.mean()), centred));
                graph.addNode(node("Div", List.of(centred, n.std()), n.out().name()));
            }
            case Conv c -> graph.addNode(node("Conv", List.of(c.in().name(), c.weight()), c.out().name())
                    .addAttribute(ints("kernel_shape", c.kh(), c.kw()))
                    .addAttribute(ints("strides", c.stride(), c.stride()))
                    .addAttribute(ints("pads", c.padH(), c.padW(), c.padH(), c.padW()))
                    .addAttribute(ints("dilations", c.dilation(), c.dilation()))
                    .addAttribute(integer("group", c.groups())));
            case BatchNorm b -> graph.addNode(node("BatchNormalization", List.of(b.in().name(), b.prefix() + ".weight",
                    b.prefix() + ".bias", b.prefix() + ".running_mean", b.prefix() + ".running_var"), b.out().name())
                    .addAttribute(AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT).setF(b.eps())));
            case Relu r -> graph.addNode(node("Relu", List.of(r.in().name()), r.out().name()));
            case Add a -> graph.addNode(node("Add", List.of(a.a().name(), a.b().name()), a.out().name()));
            case Pad p -> {
                String pads = constant(longs(new long[] {0, 0, p.top(), p.left(), 0, 0, p.bottom(), p.right()}));
                graph.addNode(node("Pad", List.of(p.in().name(), pads), p.out().name())
                        .addAttribute(AttributeProto.newBuilder().setName("mode").setType(AttributeProto.AttributeType.STRING)
                                .setS(ByteString.copyFromUtf8("constant"))));
            }
            case Concat c -> graph.addNode(node("Concat", c.in().stream().map(Value::name).toList(), c.out().name())
                    .addAttribute(integer("axis", 1)));
            case Pool p -> {
                NodeProto.Builder n = node(p.kind() == PoolGeometry.Kind.MAX ? "MaxPool" : "AveragePool", List.of(p.in().name()),
                        p.out().name())
                        .addAttribute(ints("kernel_shape", p.kernel(), p.kernel()))
                        .addAttribute(ints("strides", p.stride(), p.stride()))
                        .addAttribute(ints("pads", p.padH(), p.padW(), p.padH(), p.padW()));
                if (p.kind() == PoolGeometry.Kind.AVG) n.addAttribute(integer("count_include_pad", 0));
                graph.addNode(n);
            }
            case GlobalAvgPool gap -> {
                String pooled = gap.out().name() + "_nc11";
                graph.addNode(node("GlobalAveragePool", List.of(gap.in().name()), pooled));
                graph.addNode(node("Flatten", List.of(pooled), gap.out().name()).addAttribute(integer("axis", 1)));
            }
            case Linear l -> graph.addNode(node("Gemm", List.of(l.in().name(), l.prefix() + ".weight", l.prefix() + ".bias"),
                    l.out().name()).addAttribute(integer("transB", 1)));
            case Zeros z -> {
                String shape = z.out().name() + "_shape";
                graph.addNode(node("Shape", List.of(z.like().name()), shape));
                graph.addNode(node("ConstantOfShape", List.of(shape), z.out().name())
                        .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                                .setT(floats("", new float[] {0f}, new int[] {1}))));
            }
        }
    }

    private static NodeProto.Builder node(String type, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(type).setName(output + "_" + type).addAllInput(inputs).addOutput(output);
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** An int64 initializer under a fresh name; returns the name. */
    private String constant(TensorProto.Builder t) {
        String name = "const" + constants++;
        graph.addInitializer(t.setName(name));
        return name;
    }

    private static TensorProto.Builder longs(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length)
                .setRawData(ByteString.copyFrom(b.array()));
    }

    private static TensorProto floats(String name, float[] values, int[] dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (int d : dims) t.addDims(d);
        return t.build();
    }

    /** float32 (N, c, h, w), or (N, c) for features, N symbolic. */
    private Onnx.ValueInfoProto valueInfo(String name, Value v) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(v.c()));
        if (v.isMap()) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(v.h()));
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(v.w()));
        }
        Onnx.TypeProto type = Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }
}
