/**
 * Test hook (LabApi `debugConvGradients`, `?fault=debug` only): the gradients of a convolution and a few
 * broadcast binary ops, computed on the worker's CURRENT backend with plain tf ops, so an e2e spec can compare our
 * kernel replacements (src/ml/webgpuKernels.ts: Conv2D, FusedConv2D, Conv2DBackpropFilter and the 1-D-operand binary ops;
 * src/ml/wasmKernels.ts) against tfjs' cpu backend computed in Node (e2e/webgpu-kernels.spec.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { ConvGradientsArgs, ConvGradientsResult } from '../../shared/diagnosticsProtocol';

export async function convGradients(args: ConvGradientsArgs): Promise<ConvGradientsResult> {
  const outs = tf.tidy(() => {
    const x = tf.tensor4d(args.x, args.xShape);
    const w = tf.tensor4d(args.w, args.wShape);
    const scale = tf.tensor1d(args.scale);
    const y = tf.conv2d(x, w, args.strides, args.pad);
    const dy = tf.tensor4d(args.dy, y.shape);
    // d/dx and d/dw of sum(conv2d(x, w) * dy): Conv2DBackpropInput(dy, w) and Conv2DBackpropFilter(x, dy).
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, args.strides, args.pad), dy)),
    )([x, w]);
    return {
      y,
      dx,
      dw,
      mul: tf.mul(x, scale),
      sub: tf.sub(x, scale),
      add: tf.add(x, scale),
      div: tf.div(x, scale),
      subRev: tf.sub(scale, x),
      // Outside tf.grads (gradient depth 0): the FusedConv2D kernel, bias and activation applied in it.
      ...(args.bias
        ? {
            fusedLinear: tf.fused.conv2d({
              x,
              filter: w,
              strides: args.strides,
              pad: args.pad,
              bias: tf.tensor1d(args.bias),
              activation: 'linear',
            }),
            fusedRelu: tf.fused.conv2d({
              x,
              filter: w,
              strides: args.strides,
              pad: args.pad,
              bias: tf.tensor1d(args.bias),
              activation: 'relu',
            }),
          }
        : {}),
    };
  });
  try {
    const entries = await Promise.all(
      Object.entries(outs).map(async ([k, t]) => [k, (await t.data()) as Float32Array] as const),
    );
    return Object.fromEntries(entries) as unknown as ConvGradientsResult;
  } finally {
    for (const t of Object.values(outs)) t.dispose();
  }
}
